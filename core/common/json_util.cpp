#include "common/json_util.h"

#include <charconv>

namespace dipwb {

void appendJsonString(QByteArray &out, std::string_view utf8)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    // Runs of bytes that need no escape are appended at once: almost every string is one run.
    const char *run = utf8.data();
    const char *const end = run + utf8.size();
    for (const char *p = run; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(esc, 6);
        }
        }
    }
    out.append(run, end - run);
    out += '"';
}

void appendJsonString(QByteArray &out, QStringView s)
{
    const QByteArray utf8 = s.toUtf8();
    appendJsonString(out, std::string_view(utf8.constData(), size_t(utf8.size())));
}

void appendCompactJson(QByteArray &out, const OJson &value)
{
    char buf[24];
    switch (value.type()) {
    case OJson::value_t::null:
        out += "null";
        return;
    case OJson::value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        return;
    case OJson::value_t::number_integer: {
        const auto r = std::to_chars(buf, buf + sizeof buf, value.get<OJson::number_integer_t>());
        out.append(buf, r.ptr - buf);
        return;
    }
    case OJson::value_t::number_unsigned: {
        const auto r = std::to_chars(buf, buf + sizeof buf, value.get<OJson::number_unsigned_t>());
        out.append(buf, r.ptr - buf);
        return;
    }
    case OJson::value_t::string:
        appendJsonString(out, std::string_view(value.get_ref<const std::string &>()));
        return;
    case OJson::value_t::array: {
        out += '[';
        bool first = true;
        for (const OJson &item : value) {
            if (!first)
                out += ',';
            first = false;
            appendCompactJson(out, item);
        }
        out += ']';
        return;
    }
    case OJson::value_t::object: {
        out += '{';
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first)
                out += ',';
            first = false;
            appendJsonString(out, std::string_view(it.key()));
            out += ':';
            appendCompactJson(out, it.value());
        }
        out += '}';
        return;
    }
    default:
        // Floating point (nlohmann's own shortest form), binary, discarded: rare, left to dump().
        out += qb(value.dump());
        return;
    }
}

QString stringAt(const OJson &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return qs(it->get_ref<const std::string &>());
}

OJson jsonStrings(const QStringList &list)
{
    OJson a = OJson::array();
    for (const QString &s : list)
        a.push_back(ss(s));
    return a;
}

QString jsonTypeName(const OJson &value)
{
    switch (value.type()) {
    case OJson::value_t::null: return QStringLiteral("null");
    case OJson::value_t::object: return QStringLiteral("an object");
    case OJson::value_t::array: return QStringLiteral("an array");
    case OJson::value_t::string: return QStringLiteral("a string");
    case OJson::value_t::boolean: return QStringLiteral("a boolean");
    case OJson::value_t::number_integer:
    case OJson::value_t::number_unsigned:
    case OJson::value_t::number_float: return QStringLiteral("a number");
    default: return QStringLiteral("an unknown value");
    }
}

} // namespace dipwb

// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/untrusted_json.h"

#include "common/strict_json.h"

#include <unordered_set>
#include <vector>

namespace dipwb {

namespace {

// Builds the value like nlohmann's own DOM parser, with the checks of parseUntrustedJson().
class Builder final : public nlohmann::json_sax<OJson>
{
public:
    Builder(OJson &root, int maxDepth)
        : m_root(root)
        , m_maxDepth(maxDepth)
    {
    }

    bool null() override { return add(OJson(nullptr)); }
    bool boolean(bool v) override { return add(OJson(v)); }
    bool number_integer(number_integer_t v) override { return add(OJson(v)); }
    bool number_unsigned(number_unsigned_t v) override { return add(OJson(v)); }
    bool number_float(number_float_t v, const string_t &) override { return add(OJson(v)); }
    bool string(string_t &v) override { return add(OJson(std::move(v))); }
    bool binary(binary_t &) override { return refuse(QStringLiteral("binary values are not JSON")); }
    bool start_object(std::size_t) override { return open(OJson::object()); }
    bool start_array(std::size_t) override { return open(OJson::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t &k) override
    {
        Level &level = m_stack.back();
        if (detail::keyIsTaken(level.value->get_ref<const OJson::object_t &>(), level.keys, k)) {
            QString shown = qs(k);
            if (shown.size() > 60)
                shown = shown.left(60) + QStringLiteral("...");
            return refuse(QStringLiteral("key \"%1\" appears twice in one object").arg(shown));
        }
        m_key = std::move(k);
        return true;
    }

    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex) override
    {
        QString what = QString::fromUtf8(ex.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." -> "parse error at ..."
        if (what.startsWith(QLatin1Char('[')))
            what = what.mid(what.indexOf(QLatin1Char(']')) + 1).trimmed();
        m_why = QStringLiteral("not valid JSON at byte %1: %2").arg(position).arg(what);
        return false;
    }

    QString why() const { return m_why; }

private:
    struct Level
    {
        OJson *value;
        std::unordered_set<std::string> keys;  // see keyIsTaken()
    };

    // Where a new value goes: the root, the end of the open array, or the open object under m_key.
    OJson *place(OJson &&v)
    {
        if (m_stack.empty()) {
            m_root = std::move(v);
            return &m_root;
        }
        OJson &parent = *m_stack.back().value;
        if (parent.is_array()) {
            auto &array = parent.get_ref<OJson::array_t &>();
            array.push_back(std::move(v));
            return &array.back();
        }
        // Appended without ordered_map's search for the key: key() already ruled out a duplicate.
        auto &object = parent.get_ref<OJson::object_t &>();
        object.OJson::object_t::Container::emplace_back(std::move(m_key), std::move(v));
        return &object.back().second;
    }

    bool add(OJson &&v)
    {
        place(std::move(v));
        return true;
    }

    bool open(OJson &&v)
    {
        if (int(m_stack.size()) >= m_maxDepth)
            return refuse(QStringLiteral("nested deeper than %1 levels").arg(m_maxDepth));
        m_stack.push_back({place(std::move(v)), {}});
        return true;
    }

    bool close()
    {
        m_stack.pop_back();
        return true;
    }

    bool refuse(const QString &why)
    {
        m_why = why;
        return false;
    }

    OJson &m_root;
    const int m_maxDepth;
    std::vector<Level> m_stack;  // the open arrays and objects, outermost first
    std::string m_key;           // the key of the next value of the open object
    QString m_why;
};

} // namespace

OJson parseUntrustedJson(QByteArrayView text, QString *why, int maxDepth)
{
    // Plainly valid documents take the fast reader; for anything else nlohmann's parser decides
    // and says why.
    OJson root;
    if (detail::readStrictJson(text, root, maxDepth))
        return root;
    Builder builder(root, maxDepth);
    const bool ok = OJson::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json, true);
    if (ok)
        return root;
    if (why)
        *why = builder.why();
    return OJson(OJson::value_t::discarded);
}

} // namespace dipwb

#include "common/json_util.h"

namespace dipwb {

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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// valijson adapter for nlohmann::ordered_json (valijson's own adapter only takes nlohmann::json, and
// converting every payload would cost more than the validation). Private to the schema area: only
// json_schema_validator.cpp includes it, after defining VALIJSON_USE_EXCEPTIONS.

#include "common/json_util.h"

#include <valijson/internal/adapter.hpp>
#include <valijson/internal/basic_adapter.hpp>
#include <valijson/internal/frozen_value.hpp>
#include <valijson/exceptions.hpp>

#include <string>
#include <utility>

namespace valijson::adapters {

class OJsonAdapter;
class OJsonArrayValueIterator;
class OJsonObjectMemberIterator;
using OJsonObjectMember = std::pair<std::string, OJsonAdapter>;

inline const dipwb::OJson &ojsonEmptyArray()
{
    static const dipwb::OJson value = dipwb::OJson::array();
    return value;
}
inline const dipwb::OJson &ojsonEmptyObject()
{
    static const dipwb::OJson value = dipwb::OJson::object();
    return value;
}

class OJsonArray
{
public:
    using const_iterator = OJsonArrayValueIterator;
    using iterator = OJsonArrayValueIterator;
    OJsonArray() : m_value(ojsonEmptyArray()) {}
    explicit OJsonArray(const dipwb::OJson &value) : m_value(value)
    {
        if (!value.is_array())
            throwRuntimeError("Value is not an array.");
    }
    OJsonArrayValueIterator begin() const;
    OJsonArrayValueIterator end() const;
    size_t size() const { return m_value.size(); }

private:
    const dipwb::OJson &m_value;
};

class OJsonObject
{
public:
    using const_iterator = OJsonObjectMemberIterator;
    using iterator = OJsonObjectMemberIterator;
    OJsonObject() : m_value(ojsonEmptyObject()) {}
    explicit OJsonObject(const dipwb::OJson &value) : m_value(value)
    {
        if (!value.is_object())
            throwRuntimeError("Value is not an object.");
    }
    OJsonObjectMemberIterator begin() const;
    OJsonObjectMemberIterator end() const;
    OJsonObjectMemberIterator find(const std::string &propertyName) const;
    size_t size() const { return m_value.size(); }

private:
    const dipwb::OJson &m_value;
};

class OJsonFrozenValue final : public FrozenValue
{
public:
    explicit OJsonFrozenValue(dipwb::OJson source) : m_value(std::move(source)) {}
    FrozenValue *clone() const override { return new OJsonFrozenValue(m_value); }
    bool equalTo(const Adapter &other, bool strict) const override;

private:
    dipwb::OJson m_value;
};

class OJsonValue
{
public:
    OJsonValue() : m_value(ojsonEmptyObject()) {}
    explicit OJsonValue(const dipwb::OJson &value) : m_value(value) {}

    FrozenValue *freeze() const { return new OJsonFrozenValue(m_value); }
    opt::optional<OJsonArray> getArrayOptional() const
    {
        if (m_value.is_array())
            return opt::make_optional(OJsonArray(m_value));
        return {};
    }
    bool getArraySize(size_t &result) const
    {
        if (!m_value.is_array())
            return false;
        result = m_value.size();
        return true;
    }
    bool getBool(bool &result) const
    {
        if (!m_value.is_boolean())
            return false;
        result = m_value.get<bool>();
        return true;
    }
    bool getDouble(double &result) const
    {
        if (!m_value.is_number_float())
            return false;
        result = m_value.get<double>();
        return true;
    }
    bool getInteger(int64_t &result) const
    {
        if (!m_value.is_number_integer())
            return false;
        result = m_value.get<int64_t>();
        return true;
    }
    opt::optional<OJsonObject> getObjectOptional() const
    {
        if (m_value.is_object())
            return opt::make_optional(OJsonObject(m_value));
        return {};
    }
    bool getObjectSize(size_t &result) const
    {
        if (!m_value.is_object())
            return false;
        result = m_value.size();
        return true;
    }
    bool getString(std::string &result) const
    {
        if (!m_value.is_string())
            return false;
        result = m_value.get_ref<const std::string &>();
        return true;
    }
    static bool hasStrictTypes() { return true; }
    bool isArray() const { return m_value.is_array(); }
    bool isBool() const { return m_value.is_boolean(); }
    bool isDouble() const { return m_value.is_number_float(); }
    bool isInteger() const { return m_value.is_number_integer(); }
    bool isNull() const { return m_value.is_null(); }
    bool isNumber() const { return m_value.is_number(); }
    bool isObject() const { return m_value.is_object(); }
    bool isString() const { return m_value.is_string(); }

private:
    const dipwb::OJson &m_value;
};

class OJsonAdapter final
    : public BasicAdapter<OJsonAdapter, OJsonArray, OJsonObjectMember, OJsonObject, OJsonValue>
{
public:
    OJsonAdapter() : BasicAdapter() {}
    explicit OJsonAdapter(const dipwb::OJson &value) : BasicAdapter(OJsonValue{value}) {}
};

class OJsonArrayValueIterator
{
public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = OJsonAdapter;
    using difference_type = OJsonAdapter;
    using pointer = OJsonAdapter *;
    using reference = OJsonAdapter &;

    explicit OJsonArrayValueIterator(const dipwb::OJson::const_iterator &itr) : m_itr(itr) {}
    OJsonAdapter operator*() const { return OJsonAdapter(*m_itr); }
    DerefProxy<OJsonAdapter> operator->() const { return DerefProxy<OJsonAdapter>(**this); }
    bool operator==(const OJsonArrayValueIterator &other) const { return m_itr == other.m_itr; }
    bool operator!=(const OJsonArrayValueIterator &other) const { return !(m_itr == other.m_itr); }
    const OJsonArrayValueIterator &operator++()
    {
        ++m_itr;
        return *this;
    }
    OJsonArrayValueIterator operator++(int)
    {
        OJsonArrayValueIterator before(m_itr);
        ++m_itr;
        return before;
    }
    const OJsonArrayValueIterator &operator--()
    {
        --m_itr;
        return *this;
    }
    void advance(std::ptrdiff_t n) { m_itr += n; }

private:
    dipwb::OJson::const_iterator m_itr;
};

class OJsonObjectMemberIterator
{
public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = OJsonObjectMember;
    using difference_type = OJsonObjectMember;
    using pointer = OJsonObjectMember *;
    using reference = OJsonObjectMember &;

    explicit OJsonObjectMemberIterator(const dipwb::OJson::const_iterator &itr) : m_itr(itr) {}
    OJsonObjectMember operator*() const { return OJsonObjectMember(m_itr.key(), OJsonAdapter(m_itr.value())); }
    DerefProxy<OJsonObjectMember> operator->() const { return DerefProxy<OJsonObjectMember>(**this); }
    bool operator==(const OJsonObjectMemberIterator &other) const { return m_itr == other.m_itr; }
    bool operator!=(const OJsonObjectMemberIterator &other) const { return !(m_itr == other.m_itr); }
    const OJsonObjectMemberIterator &operator++()
    {
        ++m_itr;
        return *this;
    }
    OJsonObjectMemberIterator operator++(int)
    {
        OJsonObjectMemberIterator before(m_itr);
        ++m_itr;
        return before;
    }
    const OJsonObjectMemberIterator &operator--()
    {
        --m_itr;
        return *this;
    }

private:
    dipwb::OJson::const_iterator m_itr;
};

template<>
struct AdapterTraits<OJsonAdapter>
{
    using DocumentType = dipwb::OJson;
    static std::string adapterName() { return "OJsonAdapter"; }
};

inline bool OJsonFrozenValue::equalTo(const Adapter &other, bool strict) const
{
    return OJsonAdapter(m_value).equalTo(other, strict);
}
inline OJsonArrayValueIterator OJsonArray::begin() const { return OJsonArrayValueIterator(m_value.cbegin()); }
inline OJsonArrayValueIterator OJsonArray::end() const { return OJsonArrayValueIterator(m_value.cend()); }
inline OJsonObjectMemberIterator OJsonObject::begin() const { return OJsonObjectMemberIterator(m_value.cbegin()); }
inline OJsonObjectMemberIterator OJsonObject::end() const { return OJsonObjectMemberIterator(m_value.cend()); }
inline OJsonObjectMemberIterator OJsonObject::find(const std::string &propertyName) const
{
    return OJsonObjectMemberIterator(m_value.find(propertyName));
}

} // namespace valijson::adapters

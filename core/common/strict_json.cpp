// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/strict_json.h"

#include <charconv>
#include <vector>

// nlohmann's lexer reads a character at a time through an input adapter and keeps a copy of each
// token for its error messages; that made parsing a third of the CPU of an accepted send. This
// reader only has to succeed on valid input, so it scans runs of plain bytes at once.
namespace dipwb::detail {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string &s, char32_t cp)
{
    if (cp < 0x80) {
        s += char(cp);
    } else if (cp < 0x800) {
        s += char(0xC0 | (cp >> 6));
        s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += char(0xE0 | (cp >> 12));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    } else {
        s += char(0xF0 | (cp >> 18));
        s += char(0x80 | ((cp >> 12) & 0x3F));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    }
}

class Reader
{
public:
    Reader(QByteArrayView text, int maxDepth)
        : m_p(text.data())
        , m_end(text.data() + text.size())
        , m_maxDepth(maxDepth)
    {
    }

    bool document(OJson &out)
    {
        skipSpace();
        if (!value(out))
            return false;
        skipSpace();
        return m_p == m_end;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool value(OJson &out)
    {
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
            return object(out);
        case '[':
            return array(out);
        case '"': {
            std::string s;
            if (!string(s))
                return false;
            out = OJson(std::move(s));
            return true;
        }
        case 't':
            return literal("true", 4, OJson(true), out);
        case 'f':
            return literal("false", 5, OJson(false), out);
        case 'n':
            return literal("null", 4, OJson(nullptr), out);
        default:
            return number(out);
        }
    }

    bool literal(const char *word, int size, OJson &&v, OJson &out)
    {
        if (m_end - m_p < size || std::char_traits<char>::compare(m_p, word, size_t(size)) != 0)
            return false;
        m_p += size;
        out = std::move(v);
        return true;
    }

    // After an opening bracket: items (read by item()) separated by commas up to closer.
    template<typename Item>
    bool items(char closer, Item &&item)
    {
        if (++m_depth > m_maxDepth)
            return false;
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == closer) {
            ++m_p;
            --m_depth;
            return true;
        }
        for (;;) {
            skipSpace();
            if (!item())
                return false;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p != closer)
                return false;
            ++m_p;
            --m_depth;
            return true;
        }
    }

    // Members are gathered in a scratch list of this depth and moved into the object once its
    // size is known: growing an ordered_map copies its members (a const key makes the pair not
    // nothrow-movable), whole subtrees included.
    bool object(OJson &out)
    {
        const size_t level = size_t(m_depth);
        if (m_scratch.size() <= level)
            m_scratch.resize(level + 1);
        m_scratch[level].clear();
        std::unordered_set<std::string> seen;
        const bool ok = items('}', [&] {
            if (m_p == m_end || *m_p != '"')
                return false;
            std::string key;
            if (!string(key) || keyIsTaken(m_scratch[level], seen, key))
                return false;
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return false;
            ++m_p;
            skipSpace();
            OJson v;
            if (!value(v))
                return false;
            m_scratch[level].emplace_back(std::move(key), std::move(v));
            return true;
        });
        if (!ok)
            return false;
        auto &pending = m_scratch[level];
        out = OJson::object();
        auto &members = out.get_ref<OJson::object_t &>();
        members.reserve(pending.size());
        // Appended without ordered_map's search for the key: keyIsTaken() ruled one out.
        for (auto &[key, v] : pending)
            members.OJson::object_t::Container::emplace_back(std::move(key), std::move(v));
        pending.clear();
        return true;
    }

    bool array(OJson &out)
    {
        out = OJson::array();
        auto &list = out.get_ref<OJson::array_t &>();
        return items(']', [&] {
            list.emplace_back();
            return value(list.back());
        });
    }

    // At the opening quote; leaves m_p after the closing one. Refuses what nlohmann refuses:
    // control characters, bad escapes, lone surrogates, and bytes that are not UTF-8 (overlong
    // forms, encoded surrogates, beyond U+10FFFF).
    bool string(std::string &s)
    {
        ++m_p;
        const char *run = m_p;
        for (;;) {
            if (m_p == m_end)
                return false;
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                s.append(run, m_p);
                ++m_p;
                return true;
            }
            if (c == '\\') {
                s.append(run, m_p);
                if (!escape(s))
                    return false;
                run = m_p;
                continue;
            }
            if (c < 0x20)
                return false;
            if (c < 0x80) {
                ++m_p;
                continue;
            }
            if (!utf8Sequence())
                return false;
        }
    }

    bool utf8Sequence()
    {
        const auto c = static_cast<unsigned char>(*m_p);
        int more = 0;
        char32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (m_end - m_p <= more)
            return false;
        for (int i = 1; i <= more; ++i) {
            const auto b = static_cast<unsigned char>(m_p[i]);
            if ((b & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            return false;
        if (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))
            return false;
        m_p += more + 1;
        return true;
    }

    bool hex4(char32_t *cp)
    {
        if (m_end - m_p < 4)
            return false;
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hexValue(m_p[i]);
            if (h < 0)
                return false;
            v = (v << 4) | char32_t(h);
        }
        m_p += 4;
        *cp = v;
        return true;
    }

    // At the backslash.
    bool escape(std::string &s)
    {
        if (m_end - m_p < 2)
            return false;
        const char e = m_p[1];
        m_p += 2;
        switch (e) {
        case '"': s += '"'; return true;
        case '\\': s += '\\'; return true;
        case '/': s += '/'; return true;
        case 'b': s += '\b'; return true;
        case 'f': s += '\f'; return true;
        case 'n': s += '\n'; return true;
        case 'r': s += '\r'; return true;
        case 't': s += '\t'; return true;
        case 'u': break;
        default: return false;
        }
        char32_t cp = 0;
        if (!hex4(&cp))
            return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return false;  // a low surrogate without its high one
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            char32_t low = 0;
            if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                return false;
            m_p += 2;
            if (!hex4(&low) || low < 0xDC00 || low > 0xDFFF)
                return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(s, cp);
        return true;
    }

    // The grammar of RFC 8259; integers that fit are integers, as nlohmann makes them.
    bool number(OJson &out)
    {
        const char *start = m_p;
        const bool negative = *m_p == '-';
        if (negative)
            ++m_p;
        if (m_p == m_end)
            return false;
        if (*m_p == '0')
            ++m_p;
        else if (*m_p >= '1' && *m_p <= '9')
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        else
            return false;
        bool integral = true;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            if (m_p == m_end || !isDigit(*m_p))
                return false;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
            integral = false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p == m_end || !isDigit(*m_p))
                return false;
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
            integral = false;
        }
        if (integral) {
            if (negative) {
                OJson::number_integer_t v = 0;
                const auto r = std::from_chars(start, m_p, v);
                if (r.ec == std::errc() && r.ptr == m_p) {
                    out = OJson(v);
                    return true;
                }
            } else {
                OJson::number_unsigned_t v = 0;
                const auto r = std::from_chars(start, m_p, v);
                if (r.ec == std::errc() && r.ptr == m_p) {
                    out = OJson(v);
                    return true;
                }
            }
            // Too large for an integer: a double, as nlohmann makes it.
        }
        double d = 0;
        const auto r = std::from_chars(start, m_p, d);
        if (r.ec != std::errc() || r.ptr != m_p)
            return false;  // out of range: the full parser says whether and why
        out = OJson(d);
        return true;
    }

    // Per depth, the members of the object being read there (kept for their capacity).
    std::vector<std::vector<std::pair<std::string, OJson>>> m_scratch;
    const char *m_p;
    const char *const m_end;
    const int m_maxDepth;
    int m_depth = 0;
};

} // namespace

bool readStrictJson(QByteArrayView text, OJson &out, int maxDepth)
{
    Reader reader(text, maxDepth);
    OJson value;
    if (!reader.document(value))
        return false;
    out = std::move(value);
    return true;
}

} // namespace dipwb::detail

// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope/envelope_internal.h"
#include "envelope/l1_checks.h"

namespace dipwb::envelope {

namespace {

constexpr int kMpanWeights[12] = {3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43};

bool allDigits(QStringView s)
{
    for (QChar c : s)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    return true;
}

bool isHex(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
}
bool isDigit(QChar c) { return c.unicode() >= '0' && c.unicode() <= '9'; }
bool isCapital(QChar c) { return c.unicode() >= 'A' && c.unicode() <= 'Z'; }
bool isAlnum(QChar c) { return isDigit(c) || isCapital(c) || (c.unicode() >= 'a' && c.unicode() <= 'z'); }

// The check digit of 12 digits (the caller has checked they are digits).
QChar checkDigit(QStringView first12)
{
    int sum = 0;
    for (int i = 0; i < 12; ++i)
        sum += (first12[i].unicode() - '0') * kMpanWeights[i];
    return QLatin1Char(char('0' + sum % 11 % 10));
}

struct CodeText
{
    const char *code;
    const char *text;
};
// The DIP's own wording (ResponseCodes of the DIP API specification).
constexpr CodeText kCodeTexts[] = {
    {"MSG0000", "Success"},
    {"MSG1000", "Message Processing Failed"},
    {"MSG1001", "Schema Failure"},
    {"MSG1002", "Interface ID Invalid"},
    {"MSG1006", "Sender Unique Reference Duplicated"},
    {"MSG1007", "Sender Timestamp Invalid"},
    {"MSG1009", "Sender DIP ID Invalid"},
    {"MSG1010", "Sender Role Invalid"},
    {"MSG1011", "Connection Provider ID Invalid"},
    {"MSG1012", "Sender Correlation ID Invalid"},
    {"MSG1030", "Msg Addressing / Routing Error"},
    {"MSG1031", "Primary Recipient(s) DIP Participant ID Invalid"},
    {"MSG1032", "Primary Recipient(s) DIP Role ID Invalid"},
    {"MSG1033", "Secondary Recipient(s) DIP Participant ID Invalid"},
    {"MSG1034", "Secondary Recipient(s) DIP Role ID Invalid"},
    {"MSG1035", "Always Recipient(s) DIP Participant ID Invalid"},
    {"MSG1036", "Always Recipient(s) DIP Role ID Invalid"},
    {"MSG1037", "Cannot Resolve Secondary Recipient(s) for Missing MPAN"},
    {"MSG1038", "Cannot Resolve Secondary Recipient(s) for MPAN/Party/Event Combination"},
};

} // namespace

QString codeText(const QString &code)
{
    for (const CodeText &c : kCodeTexts)
        if (code == QLatin1String(c.code))
            return QLatin1String(c.text);
    return {};
}

QString helpText(const L1Failure &f)
{
    return f.field.isEmpty() ? f.reason : f.field + QStringLiteral(": ") + f.reason;
}

bool mpanCheckDigitValid(const QString &mpanCore)
{
    return mpanCore.size() == 13 && allDigits(mpanCore)
           && checkDigit(QStringView(mpanCore).left(12)) == mpanCore.at(12);
}

QString withCheckDigit(const QString &first12)
{
    if (first12.size() != 12 || !allDigits(first12))
        return {};
    return first12 + checkDigit(first12);
}

bool isSenderUniqueReference(const QString &s)
{
    return !detail::referenceInterface(s).isEmpty();
}

QStringView detail::referenceInterface(QStringView s)
{
    const qsizetype n = s.size();
    if (n > 200 || !s.startsWith(QLatin1String("S-")))
        return {};
    qsizetype i = 2;
    bool report = false;
    if (s.mid(i).startsWith(QLatin1String("IF-"))) {
        i += 3;
    } else if (s.mid(i).startsWith(QLatin1String("REP-"))) {
        i += 4;
        report = true;
    } else {
        return {};
    }
    for (int k = 0; k < 3; ++k, ++i)
        if (i >= n || !isDigit(s[i]))
            return {};
    if (report && i < n && (s[i] == QLatin1Char('A') || s[i] == QLatin1Char('B')))
        ++i;
    const qsizetype interfaceEnd = i;
    if (i >= n || s[i++] != QLatin1Char('-'))
        return {};
    for (int k = 0; k < 10; ++k, ++i)
        if (i >= n || !isHex(s[i]))
            return {};
    if (i >= n || s[i++] != QLatin1Char('-'))
        return {};
    int role = 0;
    while (i < n && isCapital(s[i]) && role < 6) {
        ++i;
        ++role;
    }
    if (role < 3 || role > 5)
        return {};
    if (i >= n || s[i++] != QLatin1Char('-'))
        return {};
    for (int k = 0; k < 8; ++k, ++i)
        if (i >= n || !isDigit(s[i]))
            return {};
    if (i >= n || s[i++] != QLatin1Char('-'))
        return {};
    if (i >= n)
        return {};
    for (; i < n; ++i)
        if (!isAlnum(s[i]))
            return {};
    return s.mid(2, interfaceEnd - 2);
}

} // namespace dipwb::envelope

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "envelope/envelope_internal.h"
#include "envelope/l1_checks.h"

#include <QSet>
#include <optional>
#include <span>
#include <string_view>

// The Level-1 checks of one message; private to the envelope area.
namespace dipwb::envelope::detail {

using Names = std::span<const std::string_view>;

inline QString toQString(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

/// The member at an exact key (the keys are normalised by then); null when absent.
inline const OJson *member(const OJson &obj, std::string_view key)
{
    for (const auto &kv : obj.get_ref<const OJson::object_t &>())
        if (kv.first == key)
            return &kv.second;
    return nullptr;
}

inline bool isOneOf(Names names, const std::string &key)
{
    for (std::string_view n : names)
        if (key == n)
            return true;
    return false;
}

/// What the messages of one request share.
struct RequestState
{
    const L1Context &ctx;
    qint64 nowMs = 0;
    QString pathId;            ///< the URL's channel id in upper case
    bool multiple = false;     ///< more than one message: repeated references are possible
    QSet<QString> references;  ///< "senderDipId\nreference" of the earlier messages of this request
};

/// Runs every check on one message and fills it in. The checks go in the order of the fields, so
/// failures come out in path order. S1 (the sender) lives in sender_checks.cpp, the rest in
/// message_check.cpp.
class MessageCheck final
{
public:
    MessageCheck(RequestState &rq, ParsedMessage &m);
    /// The failures of this message, each carrying its senderUniqueReference and correlation id.
    QList<L1Failure> run();

private:
    void fail(const char *code, const QString &rel, const QString &reason);
    void schema(const QString &rel, const QString &reason) { fail("MSG1001", rel, reason); }
    static QString at(const char *block, std::string_view key);
    static QString shortened(const QString &text, qsizetype max);

    void rejectUnknownKeys(const OJson &obj, Names known, const char *block, const char *name);
    const OJson *objectBlock(const OJson &parent, const char *key, const QString &rel, const QString &missingReason);
    const std::string *stringField(const OJson &obj, std::string_view key, const char *block, bool nullable,
                                   const QString &missingReason);

    bool checkShape();
    void checkS0(const OJson &common);
    QString eventReason() const;
    void checkS1(const OJson &common);
    void checkReference(QString ref);
    void checkTimestamp(QString text);
    std::optional<participants::Participant> checkSenderDipId();
    void checkRole(QString role, const std::optional<participants::Participant> &sender);
    void checkConnectionProvider(QString id);
    void checkM0(const OJson &common);
    void checkA0(const OJson &common);
    void checkPayloadSchema();

    RequestState &m_rq;
    const L1Context &m_ctx;
    ParsedMessage &m_m;
    const catalogue::ChannelDef *m_channel = nullptr; ///< of S0.interfaceID, when the catalogue has it
    QList<L1Failure> m_failures;
};

} // namespace dipwb::envelope::detail

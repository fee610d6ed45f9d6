// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participant_loader.h"

#include <QUrl>

#include <algorithm>

namespace dipwb::participants {

namespace {

QString quoted(const QString &s)
{
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

bool isAsciiAlnum(QChar c)
{
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
           || (c >= QLatin1Char('a') && c <= QLatin1Char('z'));
}

} // namespace

QStringList knownRoles()
{
    return {QStringLiteral("SUP"),  QStringLiteral("REGS"), QStringLiteral("SDS"), QStringLiteral("ADS"),
            QStringLiteral("UMSDS"), QStringLiteral("MSS"), QStringLiteral("MSA"), QStringLiteral("UMSO"),
            QStringLiteral("LDSO"), QStringLiteral("MDS"),  QStringLiteral("LSS"), QStringLiteral("MDR"),
            QStringLiteral("EES"),  QStringLiteral("DCC"),  QStringLiteral("ISD")};
}

bool isKnownRole(const QString &role)
{
    static const QStringList roles = knownRoles();
    return roles.contains(role);
}

QString dipIdProblem(const QString &dipId)
{
    if (dipId.isEmpty())
        return QStringLiteral("is empty; a DIP id is 10 letters or digits");
    if (dipId.size() != 10)
        return QStringLiteral("%1 must be exactly 10 characters (it has %2)").arg(quoted(dipId), QString::number(dipId.size()));
    if (!std::all_of(dipId.cbegin(), dipId.cend(), isAsciiAlnum))
        return QStringLiteral("%1 may hold only letters and digits").arg(quoted(dipId));
    return {};
}

QString roleProblem(const QString &role)
{
    if (role.isEmpty())
        return QStringLiteral("is empty; expected one of %1").arg(knownRoles().join(QLatin1Char(' ')));
    if (isKnownRole(role))
        return {};
    if (isKnownRole(role.trimmed().toUpper()))
        return QStringLiteral("%1 is not a known role code; role codes are capitals: %2")
            .arg(quoted(role), role.trimmed().toUpper());
    return QStringLiteral("%1 is not a known role code; expected one of %2")
        .arg(quoted(role), knownRoles().join(QLatin1Char(' ')));
}

QString mpidProblem(const QString &mpid)
{
    if (mpid.isEmpty())
        return QStringLiteral("is empty; an MPID is 4 capital letters");
    const bool capitals = std::all_of(mpid.cbegin(), mpid.cend(),
                                      [](QChar c) { return c >= QLatin1Char('A') && c <= QLatin1Char('Z'); });
    if (mpid.size() != 4 || !capitals)
        return QStringLiteral("%1 must be exactly 4 capital letters A-Z").arg(quoted(mpid));
    return {};
}

QString webhookUrlProblem(const QString &url)
{
    if (url.trimmed().isEmpty())
        return QStringLiteral("the URL is empty");
    const QUrl u(url, QUrl::StrictMode);
    const QString scheme = u.scheme().toLower();
    if (!u.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || u.host().isEmpty()
        || url != url.trimmed())
        return QStringLiteral("%1 must be an absolute http:// or https:// URL").arg(quoted(url));
    return {};
}

QString apiKeyProblem(const QString &apiKey)
{
    // It is compared with an X-API-Key header value, which cannot hold control characters.
    const bool printable = std::all_of(apiKey.cbegin(), apiKey.cend(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f;
    });
    if (!printable)
        return QStringLiteral("may hold only printable ASCII characters (it is sent as a header value)");
    if (apiKey != apiKey.trimmed())
        return QStringLiteral("must not start or end with spaces");
    return {};
}

Issues validateParticipant(const Participant &p, const QString &context)
{
    Issues out;
    auto check = [&](const QString &code, const QString &field, const QString &problem) {
        if (!problem.isEmpty())
            out.append(Issue::error(code, field + QStringLiteral(": ") + problem, context));
    };
    check(QStringLiteral("PAR010"), QStringLiteral("dipId"), dipIdProblem(p.dipId));
    check(QStringLiteral("PAR011"), QStringLiteral("role"), roleProblem(p.role));
    check(QStringLiteral("PAR012"), QStringLiteral("mpid"), mpidProblem(p.mpid));
    if (!p.apiKey.isEmpty())
        check(QStringLiteral("PAR006"), QStringLiteral("apiKey"), apiKeyProblem(p.apiKey));
    if (!p.statusWebhook.isEmpty())
        check(QStringLiteral("PAR013"), QStringLiteral("statusWebhook"), webhookUrlProblem(p.statusWebhook));

    QStringList channels = p.webhooks.keys();
    channels.sort();
    for (const QString &channel : channels) {
        const QString field = QStringLiteral("webhooks.") + channel;
        if (!isChannelId(channel))
            check(QStringLiteral("PAR014"), field,
                  QStringLiteral("%1 is not a channel id (IF-nnn or REP-nnn[A|B])").arg(quoted(channel)));
        else if (normaliseChannelId(channel) != channel)
            check(QStringLiteral("PAR014"), field,
                  QStringLiteral("the channel must be stored as %1").arg(normaliseChannelId(channel)));
        check(QStringLiteral("PAR013"), field, webhookUrlProblem(p.webhooks.value(channel)));
    }
    return out;
}

} // namespace dipwb::participants

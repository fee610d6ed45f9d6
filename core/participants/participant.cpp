// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participant.h"

#include <QRegularExpression>

namespace dipwb::participants {

QString normaliseChannelId(const QString &id)
{
    QString s = id.trimmed().toUpper();
    if (s.startsWith(QLatin1String("PUB-")))
        s.replace(0, 3, QStringLiteral("IF"));
    return s;
}

bool isChannelId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^(?:(?:IF|PUB)-[0-9]{3}|REP-[0-9]{3}[AB]?)$"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(id).hasMatch();
}

} // namespace dipwb::participants

// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/initial_participants.h"

#include "participants/participant_loader.h"
#include "store/store.h"

#include <QFile>

namespace dipwb::dip {

QList<participants::Participant> initialParticipants(const store::Store &store, const QString &file, Issues *issues)
{
    if (!file.isEmpty()) {
        Issues found;
        QList<participants::Participant> list = participants::loadParticipantsFile(file, &found);
        const bool bad = hasErrors(found);
        if (issues)
            *issues << found;
        return bad ? QList<participants::Participant>{} : list;
    }
    if (!store.participants().isEmpty())
        return {};
    QFile f(QStringLiteral(":/dipwb/defaults/example.yaml"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return participants::parseParticipants(f.readAll(), f.fileName(), issues);
}

} // namespace dipwb::dip

#pragma once

#include "common/issue.h"
#include "participants/participant.h"

#include <QList>

namespace dipwb::store {
class Store;
}

namespace dipwb::dip {

/// Who a workspace is seeded with when the emulator starts: the participants of `file` when one
/// is given (any error is in *issues and nothing is to be seeded then), otherwise the bundled
/// example market when the workspace has no participants yet, so a fresh workspace is usable at
/// once; otherwise nobody (the stored participants stand). Shared by `dipwb serve` and the desktop.
QList<participants::Participant> initialParticipants(const store::Store &store, const QString &file, Issues *issues);

} // namespace dipwb::dip

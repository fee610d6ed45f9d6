// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/remote_target.h"

#include <QStringList>

namespace dipwb {
class Workspace;
}

namespace dipwb::cli {

/// The remote target of `dipwb run --profile NAME[=PARTICIPANT]...`: each profile's URL,
/// certificates and API key, and which pack participant it speaks for (by the profile's DIP id,
/// or the participant named after '='), into speakAs. False with the reason on a bad profile.
bool remoteTargetOf(const Workspace &ws, const QStringList &profileArgs, const scenario::Pack &pack,
                    scenario::RemoteTarget *target, QHash<QString, QString> *speakAs, QString *error);

} // namespace dipwb::cli

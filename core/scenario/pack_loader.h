// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/issue.h"
#include "scenario/pack.h"

#include <QHash>

#include <optional>

namespace dipwb::scenario {

/// Reads a scenario pack (docs/pack-format.md): a pack.yaml file, or a folder holding one. YAML,
/// or JSON (which YAML reads too). Every problem is an issue with "FILE:LINE" and the field path:
/// "scenarios[0].cases[2].steps[3].expect.within: '3 sec' is not a duration".
///
/// Then checks every reference against the pack and the catalogue: channels, events, participants,
/// templates (and template include cycles), fixtures and ${variables}. A pack with any error is
/// not returned, so nothing of it can run.
std::optional<Pack> loadPack(const QString &path, const catalogue::Catalogue &catalogue, Issues *issues);

/// The same from bytes (tests, the editor); `file` names the origin, `dir` resolves template files.
std::optional<Pack> parsePack(const QByteArray &yaml, const QString &file, const QString &dir,
                              const catalogue::Catalogue &catalogue, Issues *issues);

/// A file replacing the self-test stand-ins of participants under test (a deliberately broken
/// stand-in): `standIns: {supplier: [rules...]}`, checked like the pack's own rules.
std::optional<QHash<QString, QList<Rule>>> loadStandIns(const QString &path, const Pack &pack,
                                                        const catalogue::Catalogue &catalogue, Issues *issues);

/// The reference checks alone (used by parsePack).
void checkPack(const Pack &pack, const catalogue::Catalogue &catalogue, Issues *issues);

/// The ${...} references in a value (strings inside arrays and objects too): "mpan", "trigger.sender".
QStringList variableReferences(const OJson &value);
QStringList variableReferences(const QString &text);

} // namespace dipwb::scenario

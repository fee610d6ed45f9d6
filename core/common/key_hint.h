// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace dipwb {

/// Levenshtein distance (insertions, deletions, substitutions of one character each).
int editDistance(const QString &a, const QString &b);
/// The allowed key a misspelt one most likely meant: the same but for case, else one at most two
/// edits away (case ignored); empty when none is that close. For "did you mean" in file errors.
QString likelyKey(const QString &key, const QStringList &allowed);

} // namespace dipwb

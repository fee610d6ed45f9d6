// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace dipwb::scenario {

struct Pack;

/// The variables one case (or one rule firing) sees, and the evaluation of ${...} and generators.
///
/// A string that is exactly "${name.path}" takes the referenced value with its type (a list of
/// settlement periods stays a list); inside a longer string the value is written as text. Paths
/// after the root name are dotted and match object keys case-insensitively.
class Values
{
public:
    /// The pack's participants (as {id, dipId, role, mpid}), `pack` and `today`/`now`.
    explicit Values(const Pack &pack);

    void bind(const QString &name, OJson value);
    bool has(const QString &name) const { return m_values.contains(name); }

    /// Generators become values, strings are interpolated, arrays and objects recursively.
    OJson evaluate(const OJson &spec);
    QString text(const QString &t);

    /// References that could not be resolved since the last call (names them, for the step log).
    QStringList takeUnresolved();

    /// A valid MPAN core: prefix + random digits + the check digit (DOMAIN.md 3).
    static QString generateMpan(const QString &prefix);
    /// S-IF-031-<dipId>-SUP-20240701-<alnum>, unique in this process.
    static QString uniqueReference(const QString &channel, const QString &dipId, const QString &role, qint64 nowMs);

private:
    const OJson *lookup(const QString &ref);
    OJson generate(const OJson &spec);

    const Pack &m_pack;
    QHash<QString, OJson> m_values;
    QStringList m_unresolved;
};

/// Sets the value at a dotted path, creating objects on the way (numeric segments index arrays,
/// which grow with nulls as needed). Keys match case-insensitively, so a template written in
/// another case is overridden rather than doubled.
void setAtPath(OJson &root, const QString &path, OJson value);
/// Removes the value at a dotted path; false when there was none.
bool removeAtPath(OJson &root, const QString &path);
/// A value as text for messages and logs: strings as they are, others as compact JSON.
QString valueText(const OJson &v);

} // namespace dipwb::scenario

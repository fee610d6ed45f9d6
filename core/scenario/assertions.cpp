// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/assertions.h"

#include "routing/json_path.h"
#include "scenario/values.h"

#include <QRegularExpression>

namespace dipwb::scenario {

namespace {

QString shown(const OJson *v)
{
    if (!v)
        return QStringLiteral("nothing (the field is absent)");
    if (v->is_string())
        return QLatin1Char('\'') + qs(v->get<std::string>()) + QLatin1Char('\'');
    return qs(v->dump());
}

/// Equal as the DIP compares values: numbers and the strings that carry them ("1.50" vs 1.5) are
/// not the same, so the comparison is exact; a string expectation matches a string field only.
bool same(const OJson &expected, const OJson &actual)
{
    if (expected.is_number() && actual.is_number())
        return expected.get<double>() == actual.get<double>();
    return expected == actual;
}

std::optional<double> numberOf(const OJson &v)
{
    if (v.is_number())
        return v.get<double>();
    if (v.is_string()) {
        bool ok = false;
        const double d = qs(v.get<std::string>()).toDouble(&ok);
        if (ok)
            return d;
    }
    return std::nullopt;
}

} // namespace

QStringList failedAssertions(const QList<Assertion> &assertions, const OJson &payload, Values &values)
{
    QStringList out;
    for (const Assertion &a : assertions) {
        const OJson *actual = routing::jsonAtPath(payload, a.path);
        switch (a.op) {
        case Assertion::Op::Equals: {
            const OJson expected = values.evaluate(a.value);
            if (!actual || !same(expected, *actual))
                out << QStringLiteral("%1: expected %2, got %3").arg(a.path, shown(&expected), shown(actual));
            break;
        }
        case Assertion::Op::Regex: {
            const QString pattern = values.text(qs(a.value.get<std::string>()));
            const QRegularExpression re(QStringLiteral("^(?:%1)$").arg(pattern));
            const QString text = actual && actual->is_string() ? qs(actual->get<std::string>()) : QString();
            if (!actual || !actual->is_string() || !re.match(text).hasMatch())
                out << QStringLiteral("%1: expected text matching /%2/, got %3").arg(a.path, pattern, shown(actual));
            break;
        }
        case Assertion::Op::Exists:
            if (!actual || actual->is_null())
                out << QStringLiteral("%1: expected a value, got %2").arg(a.path, actual ? QStringLiteral("null") : shown(actual));
            break;
        case Assertion::Op::Absent:
            if (actual && !actual->is_null())
                out << QStringLiteral("%1: expected no value, got %2").arg(a.path, shown(actual));
            break;
        case Assertion::Op::OneOf: {
            const OJson options = values.evaluate(a.value);
            bool found = false;
            for (const auto &o : options)
                found = found || (actual && same(o, *actual));
            if (!found)
                out << QStringLiteral("%1: expected one of %2, got %3").arg(a.path, qs(options.dump()), shown(actual));
            break;
        }
        case Assertion::Op::Range: {
            const auto n = actual ? numberOf(*actual) : std::nullopt;
            const bool ok = n && (!a.min || *n >= *a.min) && (!a.max || *n <= *a.max);
            if (!ok)
                out << QStringLiteral("%1: expected a number from %2 to %3, got %4")
                           .arg(a.path, a.min ? QString::number(*a.min) : QStringLiteral("-inf"),
                                a.max ? QString::number(*a.max) : QStringLiteral("+inf"), shown(actual));
            break;
        }
        }
    }
    return out;
}

} // namespace dipwb::scenario

#pragma once

#include <QList>
#include <QString>

namespace dipwb {

/// A problem found in user input or at run time, carried as data from core to whoever shows it.
struct Issue
{
    enum class Severity { Info, Warning, Error };
    Severity severity = Severity::Error;
    QString code;    ///< a stable code, e.g. "MSG1001" or "PACK012"; may be empty
    QString text;    ///< what is wrong and why, in words a tester understands
    QString context; ///< where: file:line, message index and JSON path, header name...

    static Issue error(QString code, QString text, QString context = {})
    {
        return {Severity::Error, std::move(code), std::move(text), std::move(context)};
    }
    static Issue warning(QString code, QString text, QString context = {})
    {
        return {Severity::Warning, std::move(code), std::move(text), std::move(context)};
    }
    /// "context: text" or just text.
    QString toString() const { return context.isEmpty() ? text : context + QStringLiteral(": ") + text; }
};

using Issues = QList<Issue>;

inline bool hasErrors(const Issues &issues)
{
    for (const Issue &i : issues)
        if (i.severity == Issue::Severity::Error)
            return true;
    return false;
}

} // namespace dipwb

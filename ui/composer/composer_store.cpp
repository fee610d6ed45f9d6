// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composer_store.h"

#include "common/json_util.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace dipwb::ui {

namespace {

QString templatesDir(const QString &workspace)
{
    return QDir(workspace).filePath(QStringLiteral("composer/templates"));
}

bool writeWhole(const QString &path, const QByteArray &bytes, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = QStringLiteral("cannot create the folder of %1").arg(path);
        return false;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

OJson entryJson(const SentEntry &e)
{
    return OJson{{"at", e.atMs}, {"target", ss(e.target)}, {"channel", ss(e.channel)}, {"event", ss(e.event)},
                 {"sender", ss(e.senderDipId)}, {"status", e.httpStatus}, {"outcome", ss(e.outcome)},
                 {"body", e.body.toStdString()}, {"response", e.response.toStdString()}};
}

} // namespace

TemplateShelf::TemplateShelf(QString workspaceDir)
    : m_dir(templatesDir(workspaceDir))
{
}

bool TemplateShelf::isName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9 _\\-][A-Za-z0-9 ._\\-]{0,59}$"));
    return re.match(name).hasMatch() && !name.trimmed().isEmpty();
}

QString TemplateShelf::fileOf(const QString &name) const
{
    return QDir(m_dir).filePath(name + QStringLiteral(".json"));
}

QStringList TemplateShelf::names() const
{
    QStringList out;
    for (const QString &f : QDir(m_dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name | QDir::IgnoreCase))
        out << f.chopped(5);
    return out;
}

std::optional<ComposerTemplate> TemplateShelf::load(const QString &name, QString *error) const
{
    QFile f(fileOf(name));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString());
        return std::nullopt;
    }
    const QByteArray text = f.readAll();
    const OJson j = OJson::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (!j.is_object() || !j.contains("body") || !j["body"].is_string()) {
        *error = QStringLiteral("%1 is not a composer template (a JSON object with a \"body\" string)").arg(f.fileName());
        return std::nullopt;
    }
    ComposerTemplate t;
    t.name = name;
    t.channel = stringAt(j, "channel");
    t.event = stringAt(j, "event");
    t.senderDipId = stringAt(j, "sender");
    t.primaryRecipients = stringAt(j, "primaryRecipients");
    t.body = QByteArray::fromStdString(j["body"].get<std::string>());
    return t;
}

bool TemplateShelf::save(const ComposerTemplate &t, QString *error) const
{
    if (!isName(t.name)) {
        *error = QStringLiteral("'%1' cannot name a template: use letters, digits, spaces, '-', '_' and '.', at most 60").arg(t.name);
        return false;
    }
    const OJson j{{"channel", ss(t.channel)}, {"event", ss(t.event)}, {"sender", ss(t.senderDipId)},
                  {"primaryRecipients", ss(t.primaryRecipients)}, {"body", t.body.toStdString()}};
    return writeWhole(fileOf(t.name), qb(j.dump(2)), error);
}

bool TemplateShelf::remove(const QString &name, QString *error) const
{
    QFile f(fileOf(name));
    if (!f.remove()) {
        *error = QStringLiteral("cannot remove %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    return true;
}

SentHistory::SentHistory(QString workspaceDir)
    : m_file(workspaceDir.isEmpty() ? QString() : QDir(workspaceDir).filePath(QStringLiteral("composer/history.jsonl")))
{
}

void SentHistory::load(int *skipped)
{
    m_entries.clear();
    m_linesInFile = 0;
    int bad = 0;
    QFile f(m_file);
    if (!m_file.isEmpty() && f.open(QIODevice::ReadOnly)) {
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (line.isEmpty())
                continue;
            ++m_linesInFile;
            const OJson j = OJson::parse(line.constBegin(), line.constEnd(), nullptr, false);
            if (!j.is_object() || !j.value("at", OJson()).is_number_integer()) {
                ++bad;
                continue;
            }
            SentEntry e;
            e.atMs = j["at"].get<qint64>();
            e.target = stringAt(j, "target");
            e.channel = stringAt(j, "channel");
            e.event = stringAt(j, "event");
            e.senderDipId = stringAt(j, "sender");
            e.httpStatus = j.value("status", 0);
            e.outcome = stringAt(j, "outcome");
            e.body = QByteArray::fromStdString(j.value("body", std::string()));
            e.response = QByteArray::fromStdString(j.value("response", std::string()));
            m_entries << e;
        }
    }
    if (m_entries.size() > kMax)
        m_entries = m_entries.mid(m_entries.size() - kMax);
    if (skipped)
        *skipped = bad;
}

bool SentHistory::rewrite(QString *error) const
{
    QByteArray all;
    for (const SentEntry &e : m_entries)
        all += qb(entryJson(e).dump(-1, ' ', false, OJson::error_handler_t::replace)) + '\n';
    return writeWhole(m_file, all, error);
}

bool SentHistory::append(const SentEntry &e, QString *error)
{
    m_entries << e;
    if (m_file.isEmpty()) { // no workspace: kept in memory only
        if (m_entries.size() > kMax)
            m_entries.removeFirst();
        return true;
    }
    // Appending is one write; the file is rewritten with the newest kMax once it holds twice that.
    if (m_linesInFile + 1 > 2 * kMax) {
        m_entries = m_entries.mid(std::max<qsizetype>(0, m_entries.size() - kMax));
        m_linesInFile = int(m_entries.size());
        return rewrite(error);
    }
    if (m_entries.size() > kMax)
        m_entries.removeFirst();
    if (!QDir().mkpath(QFileInfo(m_file).absolutePath())) {
        *error = QStringLiteral("cannot create the folder of %1").arg(m_file);
        return false;
    }
    QFile f(m_file);
    const QByteArray line = qb(entryJson(e).dump(-1, ' ', false, OJson::error_handler_t::replace)) + '\n';
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append) || f.write(line) != line.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_file, f.errorString());
        return false;
    }
    ++m_linesInFile;
    return true;
}

} // namespace dipwb::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace dipwb::ui {

/// A message the tester saved to start from again: the composer's choices and the body.
struct ComposerTemplate
{
    QString name;
    QString channel, event, senderDipId, primaryRecipients;
    QByteArray body;
};

/// Saved templates, one JSON file each under <workspace>/composer/templates.
class TemplateShelf
{
public:
    explicit TemplateShelf(QString workspaceDir);
    QStringList names() const;
    std::optional<ComposerTemplate> load(const QString &name, QString *error) const;
    bool save(const ComposerTemplate &t, QString *error) const;
    bool remove(const QString &name, QString *error) const;
    /// Letters, digits, space, '-', '_' and '.', 1 to 60 characters, not starting with '.'.
    static bool isName(const QString &name);

private:
    QString fileOf(const QString &name) const;
    QString m_dir;
};

/// One send from the composer and what the DIP answered.
struct SentEntry
{
    qint64 atMs = 0;
    QString target;          ///< "local" or the profile's name
    QString channel, event, senderDipId;
    int httpStatus = 0;      ///< 0: no answer
    QString outcome;         ///< the first answer item's message, or why there was no answer
    QByteArray body, response;
};

/// The composer's sent messages, newest last, kept in <workspace>/composer/history.jsonl (one
/// JSON object a line, the newest kMax of them); without a workspace, in memory only.
class SentHistory
{
public:
    static constexpr int kMax = 200;
    explicit SentHistory(QString workspaceDir);
    /// Reads the file; lines it cannot read are skipped and counted in *skipped.
    void load(int *skipped = nullptr);
    bool append(const SentEntry &e, QString *error);
    const QList<SentEntry> &entries() const { return m_entries; }

private:
    bool rewrite(QString *error) const;
    QString m_file;
    QList<SentEntry> m_entries;
    int m_linesInFile = 0;
};

} // namespace dipwb::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/journal_extract.h"

#include "common/json_util.h"
#include "store/journal_chain.h"

namespace dipwb::evidence {

QByteArray journalExtractJsonl(const QList<store::JournalEntry> &rows, const QSet<qint64> &involved)
{
    QByteArray out;
    for (const auto &r : rows) {
        const OJson j = {{"id", r.id},
                         {"atMs", r.atMs},
                         {"requestId", r.requestId},
                         {"messageId", r.messageId},
                         {"deliveryId", r.deliveryId},
                         {"stage", ss(r.stage)},
                         {"status", ss(r.status)},
                         {"detail", ss(r.detail)},
                         {"prevHash", r.prevHash.toStdString()},
                         {"hash", r.hash.toStdString()},
                         {"involved", involved.contains(r.id)}};
        out += qb(j.dump()) + '\n';
    }
    return out;
}

namespace {

bool rowOf(const OJson &j, store::JournalEntry *e)
{
    const char *numbers[] = {"id", "atMs", "requestId", "messageId", "deliveryId"};
    const char *texts[] = {"stage", "status", "detail", "prevHash", "hash"};
    if (!j.is_object())
        return false;
    for (const char *k : numbers)
        if (!j.contains(k) || !j[k].is_number_integer())
            return false;
    for (const char *k : texts)
        if (!j.contains(k) || !j[k].is_string())
            return false;
    e->id = j["id"].get<qint64>();
    e->atMs = j["atMs"].get<qint64>();
    e->requestId = j["requestId"].get<qint64>();
    e->messageId = j["messageId"].get<qint64>();
    e->deliveryId = j["deliveryId"].get<qint64>();
    e->stage = qs(j["stage"].get<std::string>());
    e->status = qs(j["status"].get<std::string>());
    e->detail = qs(j["detail"].get<std::string>());
    e->prevHash = qb(j["prevHash"].get<std::string>());
    e->hash = qb(j["hash"].get<std::string>());
    return true;
}

QString about(const store::JournalEntry &e)
{
    QString s = e.stage + QLatin1Char('/') + e.status;
    if (e.messageId)
        s += QStringLiteral(", message %1").arg(e.messageId);
    if (e.deliveryId)
        s += QStringLiteral(", copy %1").arg(e.deliveryId);
    return s;
}

} // namespace

QList<JournalProblem> verifyJournalExtract(const QByteArray &jsonl, const QString &head, int expectedRows)
{
    QList<JournalProblem> problems;
    const QList<QByteArray> lines = jsonl.split('\n');
    store::JournalEntry previous;
    int rows = 0;
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].isEmpty())
            continue;
        store::JournalEntry e;
        const OJson j = OJson::parse(lines[i].constData(), lines[i].constData() + lines[i].size(), nullptr, false);
        if (!rowOf(j, &e)) {
            problems << JournalProblem{0, i + 1, QStringLiteral("line %1 is not a journal row").arg(i + 1)};
            continue;
        }
        ++rows;
        const QByteArray recomputed = store::journalRowHash(e.prevHash, e);
        if (recomputed != e.hash)
            problems << JournalProblem{e.id, i + 1,
                                       QStringLiteral("journal row %1 (%2) was altered: its fields hash to %3, the row says %4")
                                           .arg(e.id)
                                           .arg(about(e), QString::fromLatin1(recomputed), QString::fromLatin1(e.hash))};
        if (previous.id) {
            if (e.id != previous.id + 1)
                problems << JournalProblem{e.id, i + 1,
                                           QStringLiteral("journal row %1 follows row %2: rows are missing or reordered").arg(e.id).arg(previous.id)};
            else if (e.prevHash != previous.hash)
                problems << JournalProblem{e.id, i + 1,
                                           QStringLiteral("journal row %1 does not link to row %2 (prevHash %3, row %2 hashes to %4)")
                                               .arg(e.id)
                                               .arg(previous.id)
                                               .arg(QString::fromLatin1(e.prevHash), QString::fromLatin1(previous.hash))};
        }
        previous = e;
    }
    if (rows != expectedRows)
        problems << JournalProblem{0, 0, QStringLiteral("the journal extract has %1 rows, the manifest says %2").arg(rows).arg(expectedRows)};
    if (rows > 0 && QString::fromLatin1(previous.hash) != head)
        problems << JournalProblem{previous.id, 0,
                                   QStringLiteral("the last journal row (%1) hashes to %2, not the manifest's head %3")
                                       .arg(previous.id)
                                       .arg(QString::fromLatin1(previous.hash), head)};
    return problems;
}

} // namespace dipwb::evidence

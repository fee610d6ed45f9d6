// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/run_store.h"

#include "store/store.h"

#include <sqlite3.h>

#include <memory>

namespace dipwb::scenario {

namespace {

using Stmt = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)>;

Stmt prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    return Stmt(s, sqlite3_finalize);
}

void bindText(sqlite3_stmt *s, int i, const QString &t)
{
    const QByteArray u = t.toUtf8();
    sqlite3_bind_text(s, i, u.constData(), int(u.size()), SQLITE_TRANSIENT);
}

QString textAt(sqlite3_stmt *s, int col)
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(s, col));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(s, col)) : QString();
}

QString jsonList(const QStringList &l)
{
    OJson a = OJson::array();
    for (const auto &s : l)
        a.push_back(ss(s));
    return qs(a.dump());
}

QStringList listOf(const QString &json)
{
    QStringList out;
    try {
        for (const auto &v : OJson::parse(json.toStdString()))
            if (v.is_string())
                out << qs(v.get<std::string>());
    } catch (const std::exception &) {
    }
    return out;
}

Verdict verdictOf(const QString &name)
{
    if (name == QLatin1String("passed"))
        return Verdict::Passed;
    if (name == QLatin1String("failed"))
        return Verdict::Failed;
    if (name == QLatin1String("error"))
        return Verdict::Error;
    return Verdict::Skipped;
}

QString stepsJson(const QList<StepResult> &steps)
{
    OJson a = OJson::array();
    for (const auto &s : steps)
        a.push_back({{"index", s.index},         {"kind", ss(s.kind)},         {"label", ss(s.label)},
                     {"where", ss(s.where)},     {"verdict", ss(verdictName(s.verdict))}, {"detail", ss(s.detail)},
                     {"startedMs", s.startedMs}, {"endedMs", s.endedMs},
                     {"transactionIds", OJson::parse(jsonList(s.transactionIds).toStdString())},
                     {"references", OJson::parse(jsonList(s.references).toStdString())}});
    return qs(a.dump());
}

QList<StepResult> stepsOf(const QString &json)
{
    QList<StepResult> out;
    try {
        for (const auto &j : OJson::parse(json.toStdString())) {
            StepResult s;
            s.index = j.value("index", 0);
            s.kind = qs(j.value("kind", std::string()));
            s.label = qs(j.value("label", std::string()));
            s.where = qs(j.value("where", std::string()));
            s.verdict = verdictOf(qs(j.value("verdict", std::string())));
            s.detail = qs(j.value("detail", std::string()));
            s.startedMs = j.value("startedMs", qint64(0));
            s.endedMs = j.value("endedMs", qint64(0));
            s.transactionIds = listOf(qs(j.value("transactionIds", OJson::array()).dump()));
            s.references = listOf(qs(j.value("references", OJson::array()).dump()));
            out << s;
        }
    } catch (const std::exception &) {
    }
    return out;
}

struct ReadDb
{
    sqlite3 *db = nullptr;
    ~ReadDb() { sqlite3_close(db); }
};

bool openRead(const QString &path, ReadDb *r, QString *error)
{
    if (sqlite3_open_v2(path.toUtf8().constData(), &r->db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(r->db)));
        return false;
    }
    sqlite3_busy_timeout(r->db, 5000);
    return true;
}

constexpr const char *kRunColumns =
    "id, pack_id, pack_version, pack_title, stage, environment, catalogue, self_test, dip_url, started_ms, ended_ms, "
    "COALESCE(setup_error, '')";

RunResult runOf(sqlite3_stmt *s)
{
    RunResult r;
    r.runId = sqlite3_column_int64(s, 0);
    r.packId = textAt(s, 1);
    r.packVersion = textAt(s, 2);
    r.packTitle = textAt(s, 3);
    r.stage = textAt(s, 4);
    r.environment = textAt(s, 5);
    r.catalogue = textAt(s, 6);
    r.selfTest = sqlite3_column_int(s, 7) != 0;
    r.dipUrl = textAt(s, 8);
    r.startedMs = sqlite3_column_int64(s, 9);
    r.endedMs = sqlite3_column_int64(s, 10);
    r.setupError = textAt(s, 11);
    return r;
}

} // namespace

void storeRun(store::Store *store, const RunResult &run, QObject *context, std::function<void(qint64, QString)> done)
{
    const QString head = QString::fromLatin1(store->journalHead());
    auto runId = std::make_shared<qint64>(0);
    auto failure = std::make_shared<QString>();
    store->write(
        [run, head, runId, failure](store::WriteTxn &txn) {
            sqlite3 *db = txn.db();
            Stmt r = prepare(db, "INSERT INTO runs (pack_id, pack_version, pack_title, stage, environment, catalogue, self_test, "
                                 "dip_url, started_ms, ended_ms, passed, failed, errored, skipped, setup_error, journal_head) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
            bindText(r.get(), 1, run.packId);
            bindText(r.get(), 2, run.packVersion);
            bindText(r.get(), 3, run.packTitle);
            bindText(r.get(), 4, run.stage);
            bindText(r.get(), 5, run.environment);
            bindText(r.get(), 6, run.catalogue);
            sqlite3_bind_int(r.get(), 7, run.selfTest ? 1 : 0);
            bindText(r.get(), 8, run.dipUrl);
            sqlite3_bind_int64(r.get(), 9, run.startedMs);
            sqlite3_bind_int64(r.get(), 10, run.endedMs);
            sqlite3_bind_int(r.get(), 11, run.count(Verdict::Passed));
            sqlite3_bind_int(r.get(), 12, run.count(Verdict::Failed));
            sqlite3_bind_int(r.get(), 13, run.count(Verdict::Error));
            sqlite3_bind_int(r.get(), 14, run.count(Verdict::Skipped));
            if (run.setupError.isEmpty())
                sqlite3_bind_null(r.get(), 15);
            else
                bindText(r.get(), 15, run.setupError);
            bindText(r.get(), 16, head);
            if (sqlite3_step(r.get()) != SQLITE_DONE) {
                *failure = QString::fromUtf8(sqlite3_errmsg(db));
                return;
            }
            *runId = sqlite3_last_insert_rowid(db);
            Stmt c = prepare(db, "INSERT INTO results (run_id, case_id, scenario_id, title, requirements, verdict, reason, "
                                 "started_ms, ended_ms, mpans, steps, log) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
            for (const CaseResult &cr : run.cases) {
                sqlite3_reset(c.get());
                sqlite3_bind_int64(c.get(), 1, *runId);
                bindText(c.get(), 2, cr.id);
                bindText(c.get(), 3, cr.scenarioId);
                bindText(c.get(), 4, cr.title);
                bindText(c.get(), 5, jsonList(cr.requirements));
                bindText(c.get(), 6, verdictName(cr.verdict));
                bindText(c.get(), 7, cr.reason);
                sqlite3_bind_int64(c.get(), 8, cr.startedMs);
                sqlite3_bind_int64(c.get(), 9, cr.endedMs);
                bindText(c.get(), 10, jsonList(cr.mpans));
                bindText(c.get(), 11, stepsJson(cr.steps));
                bindText(c.get(), 12, jsonList(cr.log));
                if (sqlite3_step(c.get()) != SQLITE_DONE) {
                    *failure = QString::fromUtf8(sqlite3_errmsg(db));
                    *runId = 0;
                    return;
                }
            }
        },
        context,
        [runId, failure, done](bool ok, const QString &error) {
            if (done)
                done(ok && failure->isEmpty() ? *runId : 0, ok ? *failure : error);
        });
}

QList<RunResult> storedRuns(const QString &databasePath, int limit, QString *error)
{
    QList<RunResult> out;
    ReadDb r;
    if (!openRead(databasePath, &r, error))
        return out;
    const QByteArray sql = QByteArray("SELECT ") + kRunColumns + ", passed, failed, errored, skipped FROM runs ORDER BY id DESC LIMIT ?1";
    Stmt s = prepare(r.db, sql.constData());
    if (!s) {
        *error = QString::fromUtf8(sqlite3_errmsg(r.db));
        return out;
    }
    sqlite3_bind_int(s.get(), 1, limit);
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        RunResult run = runOf(s.get());
        // Counts only: placeholder cases carry the verdicts so count() works without the rows.
        const Verdict kinds[] = {Verdict::Passed, Verdict::Failed, Verdict::Error, Verdict::Skipped};
        for (int k = 0; k < 4; ++k)
            for (int n = sqlite3_column_int(s.get(), 12 + k); n > 0; --n) {
                CaseResult c;
                c.verdict = kinds[k];
                run.cases << c;
            }
        out << run;
    }
    return out;
}

RunResult storedRun(const QString &databasePath, qint64 runId, QString *error)
{
    RunResult run;
    ReadDb r;
    if (!openRead(databasePath, &r, error))
        return run;
    const QByteArray sql = QByteArray("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1";
    Stmt s = prepare(r.db, sql.constData());
    sqlite3_bind_int64(s.get(), 1, runId);
    if (!s || sqlite3_step(s.get()) != SQLITE_ROW) {
        *error = QStringLiteral("no run %1 in %2").arg(runId).arg(databasePath);
        return run;
    }
    run = runOf(s.get());
    Stmt c = prepare(r.db, "SELECT case_id, scenario_id, title, requirements, verdict, reason, started_ms, ended_ms, mpans, steps, log "
                           "FROM results WHERE run_id = ?1 ORDER BY id");
    sqlite3_bind_int64(c.get(), 1, runId);
    while (sqlite3_step(c.get()) == SQLITE_ROW) {
        CaseResult cr;
        cr.id = textAt(c.get(), 0);
        cr.scenarioId = textAt(c.get(), 1);
        cr.title = textAt(c.get(), 2);
        cr.requirements = listOf(textAt(c.get(), 3));
        cr.verdict = verdictOf(textAt(c.get(), 4));
        cr.reason = textAt(c.get(), 5);
        cr.startedMs = sqlite3_column_int64(c.get(), 6);
        cr.endedMs = sqlite3_column_int64(c.get(), 7);
        cr.mpans = listOf(textAt(c.get(), 8));
        cr.steps = stepsOf(textAt(c.get(), 9));
        cr.log = listOf(textAt(c.get(), 10));
        run.cases << cr;
    }
    return run;
}

QString storedRunJournalHead(const QString &databasePath, qint64 runId, QString *error)
{
    ReadDb r;
    if (!openRead(databasePath, &r, error))
        return {};
    Stmt s = prepare(r.db, "SELECT COALESCE(journal_head, '') FROM runs WHERE id = ?1");
    if (!s) {
        *error = QString::fromUtf8(sqlite3_errmsg(r.db));
        return {};
    }
    sqlite3_bind_int64(s.get(), 1, runId);
    if (sqlite3_step(s.get()) != SQLITE_ROW) {
        *error = QStringLiteral("no run %1 in %2").arg(runId).arg(databasePath);
        return {};
    }
    return textAt(s.get(), 0);
}

} // namespace dipwb::scenario

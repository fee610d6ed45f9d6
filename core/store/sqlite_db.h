// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace dipwb::store {

/// One prepared statement (RAII: finalized on destruction). Columns and parameters are 0- and
/// 1-based respectively, as in the C API. Not thread-safe: it belongs to its connection's thread.
class SqlStatement final
{
public:
    explicit SqlStatement(sqlite3_stmt *stmt) : m_stmt(stmt) {}
    ~SqlStatement();
    SqlStatement(const SqlStatement &) = delete;
    SqlStatement &operator=(const SqlStatement &) = delete;

    void bind(int i, qint64 v);
    void bind(int i, int v) { bind(i, qint64(v)); }
    void bind(int i, bool v) { bind(i, qint64(v ? 1 : 0)); }
    void bind(int i, const QString &v);
    void bind(int i, const QByteArray &blob);
    void bindNull(int i);
    /// Binds v, or NULL when v is 0 (optional references such as "no message").
    void bindIdOrNull(int i, qint64 v);

    /// sqlite3_step: SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    /// Resets for the next use and clears the bindings (ends an implicit read transaction).
    void reset();

    qint64 int64(int col) const;
    int int32(int col) const;
    bool isNull(int col) const;
    QString text(int col) const;
    QByteArray blob(int col) const;

    sqlite3_stmt *handle() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

/// A statement borrowed from a connection's cache; reset when the borrow ends, so a read never
/// keeps its snapshot (and the WAL) pinned after the caller is done.
class StatementUse final
{
public:
    explicit StatementUse(SqlStatement *s) : m_s(s) {}
    ~StatementUse()
    {
        if (m_s)
            m_s->reset();
    }
    StatementUse(StatementUse &&o) noexcept : m_s(std::exchange(o.m_s, nullptr)) {}
    StatementUse(const StatementUse &) = delete;
    StatementUse &operator=(const StatementUse &) = delete;
    StatementUse &operator=(StatementUse &&) = delete;
    explicit operator bool() const { return m_s != nullptr; }
    SqlStatement *operator->() const { return m_s; }
    SqlStatement &operator*() const { return *m_s; }

private:
    SqlStatement *m_s;
};

/// One SQLite connection with a cache of prepared statements keyed by their SQL text. Used by one
/// thread at a time (opened with SQLITE_OPEN_NOMUTEX).
class SqlConnection final
{
public:
    enum class Mode { ReadWrite, ReadOnly };
    /// Opens (ReadWrite also creates) the file; nullptr with *error set on failure.
    static std::unique_ptr<SqlConnection> open(const QString &path, Mode mode, QString *error);
    ~SqlConnection();
    SqlConnection(const SqlConnection &) = delete;
    SqlConnection &operator=(const SqlConnection &) = delete;

    sqlite3 *handle() const { return m_db; }
    /// Runs one or more statements without results; false with *error (SQLite's message) on failure.
    bool exec(const char *sql, QString *error = nullptr);
    /// The cached statement for sql, preparing it on first use; an empty use (false) on a
    /// preparation error, see lastError().
    StatementUse cached(const QByteArray &sql);
    /// One string result of a pragma or query ("wal"), empty on error.
    QString queryText(const char *sql);
    qint64 queryInt(const char *sql, qint64 fallback = 0);
    /// sqlite3_errmsg of the last failed call on this connection.
    QString lastError() const;
    int lastErrorCode() const;
    bool inTransaction() const;

private:
    explicit SqlConnection(sqlite3 *db) : m_db(db) {}
    sqlite3 *m_db = nullptr;
    std::unordered_map<std::string, std::unique_ptr<SqlStatement>> m_cache;
};

} // namespace dipwb::store

// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/sqlite_db.h"

#include <sqlite3.h>

namespace dipwb::store {

SqlStatement::~SqlStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqlStatement::bind(int i, qint64 v)
{
    sqlite3_bind_int64(m_stmt, i, v);
}

void SqlStatement::bind(int i, const QString &v)
{
    const QByteArray utf8 = v.toUtf8();
    // An empty QString still binds '' (not NULL): constData() of an empty QByteArray is "".
    sqlite3_bind_text(m_stmt, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

void SqlStatement::bind(int i, const QByteArray &blob)
{
    if (blob.isEmpty())
        sqlite3_bind_zeroblob(m_stmt, i, 0);
    else
        sqlite3_bind_blob64(m_stmt, i, blob.constData(), sqlite3_uint64(blob.size()), SQLITE_TRANSIENT);
}

void SqlStatement::bindNull(int i)
{
    sqlite3_bind_null(m_stmt, i);
}

void SqlStatement::bindIdOrNull(int i, qint64 v)
{
    if (v == 0)
        bindNull(i);
    else
        bind(i, v);
}

int SqlStatement::step()
{
    return sqlite3_step(m_stmt);
}

void SqlStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

qint64 SqlStatement::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

int SqlStatement::int32(int col) const
{
    return sqlite3_column_int(m_stmt, col);
}

bool SqlStatement::isNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

QString SqlStatement::text(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col)) : QString();
}

QByteArray SqlStatement::blob(int col) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
    return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, col)) : QByteArray();
}

std::unique_ptr<SqlConnection> SqlConnection::open(const QString &path, Mode mode, QString *error)
{
    sqlite3 *db = nullptr;
    const int flags = SQLITE_OPEN_NOMUTEX
        | (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return nullptr;
    }
    sqlite3_extended_result_codes(db, 1);
    return std::unique_ptr<SqlConnection>(new SqlConnection(db));
}

SqlConnection::~SqlConnection()
{
    m_cache.clear(); // finalize every statement before closing
    sqlite3_close_v2(m_db);
}

bool SqlConnection::exec(const char *sql, QString *error)
{
    char *msg = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &msg);
    if (rc != SQLITE_OK && error)
        *error = msg ? QString::fromUtf8(msg) : QString::fromUtf8(sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc == SQLITE_OK;
}

StatementUse SqlConnection::cached(const QByteArray &sql)
{
    const std::string key(sql.constData(), size_t(sql.size()));
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v3(m_db, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr)
            != SQLITE_OK) {
            sqlite3_finalize(stmt);
            return StatementUse(nullptr);
        }
        it = m_cache.emplace(key, std::make_unique<SqlStatement>(stmt)).first;
    }
    return StatementUse(it->second.get());
}

QString SqlConnection::queryText(const char *sql)
{
    StatementUse s = cached(QByteArray(sql));
    if (!s || s->step() != SQLITE_ROW)
        return {};
    return s->text(0);
}

qint64 SqlConnection::queryInt(const char *sql, qint64 fallback)
{
    StatementUse s = cached(QByteArray(sql));
    if (!s || s->step() != SQLITE_ROW)
        return fallback;
    return s->int64(0);
}

QString SqlConnection::lastError() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

int SqlConnection::lastErrorCode() const
{
    return sqlite3_extended_errcode(m_db);
}

bool SqlConnection::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

} // namespace dipwb::store

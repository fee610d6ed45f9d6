// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/schema.h"

#include "store/sqlite_db.h"

#include <array>

namespace dipwb::store {
namespace {

// Migration N takes the schema from version N-1 to N. Never edit a released migration: append one.
// Optional references (no request, no message...) are stored as NULL so foreign keys stay checkable.
constexpr const char *kMigration1 = R"SQL(
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    received_ms INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    remote TEXT NOT NULL,
    sender_dip_id TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    signature TEXT NOT NULL,
    headers BLOB,
    body BLOB,
    response BLOB
);
CREATE INDEX requests_received ON requests(received_ms);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    request_id INTEGER REFERENCES requests(id),
    index_in_request INTEGER NOT NULL,
    transaction_id TEXT NOT NULL,
    sender_unique_reference TEXT NOT NULL,
    channel TEXT NOT NULL,
    event_code TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    sender_dip_id TEXT NOT NULL,
    sender_role TEXT NOT NULL,
    mpan TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    business_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    routing TEXT NOT NULL,
    payload BLOB
);
CREATE INDEX messages_received ON messages(received_ms);
CREATE INDEX messages_mpan ON messages(mpan);
CREATE INDEX messages_channel ON messages(channel);
CREATE INDEX messages_sender ON messages(sender_dip_id);
CREATE UNIQUE INDEX messages_transaction ON messages(transaction_id);
CREATE INDEX messages_correlation ON messages(correlation_id);
CREATE UNIQUE INDEX messages_sender_reference ON messages(sender_dip_id, sender_unique_reference);
CREATE INDEX messages_request ON messages(request_id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    message_id INTEGER REFERENCES messages(id),
    kind INTEGER NOT NULL,
    recipient_dip_id TEXT NOT NULL,
    recipient_role TEXT NOT NULL,
    reason TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    publication_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    delivered_ms INTEGER NOT NULL,
    last_http_status INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    replay INTEGER NOT NULL,
    body BLOB
);
CREATE INDEX deliveries_message ON deliveries(message_id);
CREATE INDEX deliveries_recipient ON deliveries(recipient_dip_id, created_ms);
CREATE INDEX deliveries_status ON deliveries(status);
CREATE INDEX deliveries_transaction ON deliveries(transaction_id);

CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    request_id INTEGER REFERENCES requests(id),
    message_id INTEGER REFERENCES messages(id),
    delivery_id INTEGER REFERENCES deliveries(id),
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX journal_message ON journal(message_id);
CREATE INDEX journal_delivery ON journal(delivery_id);
CREATE INDEX journal_request ON journal(request_id);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    mpan TEXT NOT NULL,
    role TEXT NOT NULL,
    dip_id TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER,
    recorded_ms INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX appointments_mpan_role ON appointments(mpan, role);

CREATE TABLE participants (
    dip_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    mpid TEXT NOT NULL,
    name TEXT NOT NULL,
    simulated INTEGER NOT NULL,
    api_key TEXT NOT NULL,
    status_webhook TEXT NOT NULL
);

CREATE TABLE webhooks (
    dip_id TEXT NOT NULL REFERENCES participants(dip_id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (dip_id, channel)
);
)SQL";

// The exact body of each copy moves to a table of its own that is only ever inserted into: a
// delivery row changes state several times (Pending, Retrying, Delivered), and with a 2 KB body in
// it every change rewrote a whole page; now it rewrites a few hundred bytes. The old column stays
// (SQLite cannot drop it cheaply) and is always NULL.
constexpr const char *kMigration2 = R"SQL(
CREATE TABLE delivery_bodies (
    delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id),
    body BLOB NOT NULL
);
INSERT INTO delivery_bodies (delivery_id, body) SELECT id, body FROM deliveries WHERE body IS NOT NULL;
UPDATE deliveries SET body = NULL WHERE body IS NOT NULL;
)SQL";

// Scenario pack runs and their results (core/scenario/run_store.cpp). A result keeps its steps as
// JSON: they are read whole (reports, the runner panel), never queried field by field.
constexpr const char *kMigration3 = R"SQL(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    pack_id TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    pack_title TEXT NOT NULL,
    stage TEXT NOT NULL,
    environment TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    self_test INTEGER NOT NULL,
    dip_url TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    errored INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    setup_error TEXT,
    journal_head TEXT
);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    case_id TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    title TEXT NOT NULL,
    requirements TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER NOT NULL,
    mpans TEXT NOT NULL,
    steps TEXT NOT NULL,
    log TEXT NOT NULL
);
CREATE INDEX results_run ON results(run_id);
CREATE INDEX results_case ON results(case_id, run_id);
)SQL";

// The last webhook call of each copy as sent (request line and headers, signature headers among
// them), so a tester can see what a recipient was asked to verify. Kept apart from the delivery
// row, which changes state several times, and replaced at each attempt.
constexpr const char *kMigration4 = R"SQL(
CREATE TABLE delivery_calls (
    delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id),
    at_ms INTEGER NOT NULL,
    request BLOB NOT NULL
);
)SQL";

// Every index entry is written with its row, so each index now holds only the rows it is searched
// for. Sender lookups use messages_sender_reference, which starts with the sender. Only unfinished
// copies are looked up by status (resuming after a restart); a delivered copy leaves that index.
// A journal row is searched by its delivery only when it has no message (a copy's rows carry the
// message id, and are found by it).
constexpr const char *kMigration5 = R"SQL(
DROP INDEX IF EXISTS messages_sender;
DROP INDEX IF EXISTS deliveries_status;
CREATE INDEX deliveries_unfinished ON deliveries(id) WHERE status IN ('Pending', 'Retrying');
DROP INDEX IF EXISTS journal_message;
CREATE INDEX journal_message ON journal(message_id) WHERE message_id IS NOT NULL;
DROP INDEX IF EXISTS journal_request;
CREATE INDEX journal_request ON journal(request_id) WHERE request_id IS NOT NULL;
DROP INDEX IF EXISTS journal_delivery;
CREATE INDEX journal_delivery ON journal(delivery_id) WHERE message_id IS NULL;
)SQL";

// Most accepted requests carry one message and nothing else: their body is then "[" + the message's
// payload + "]" byte for byte, and is stored once, as the message (see RequestRecord::bodyIsMessage).
constexpr const char *kMigration6 = R"SQL(
ALTER TABLE requests ADD COLUMN body_is_message INTEGER NOT NULL DEFAULT 0;
)SQL";

constexpr std::array<const char *, 6> kMigrations{kMigration1, kMigration2, kMigration3, kMigration4, kMigration5,
                                                  kMigration6};

} // namespace

int latestSchemaVersion()
{
    return int(kMigrations.size());
}

bool migrate(SqlConnection &db, int *version, QString *error)
{
    int current = int(db.queryInt("PRAGMA user_version", -1));
    if (current < 0) {
        *error = QStringLiteral("cannot read the schema version: ") + db.lastError();
        return false;
    }
    if (current > latestSchemaVersion()) {
        *error = QStringLiteral("the database has schema version %1, newer than this program understands (%2); "
                                "open it with a newer DIP Workbench")
                     .arg(current)
                     .arg(latestSchemaVersion());
        return false;
    }
    while (current < latestSchemaVersion()) {
        const int next = current + 1;
        QString why;
        const QByteArray setVersion = "PRAGMA user_version = " + QByteArray::number(next);
        const bool ok = db.exec("BEGIN IMMEDIATE", &why) && db.exec(kMigrations[size_t(current)], &why)
            && db.exec(setVersion.constData(), &why) && db.exec("COMMIT", &why);
        if (!ok) {
            if (db.inTransaction())
                db.exec("ROLLBACK");
            *error = QStringLiteral("migration %1 failed: %2").arg(next).arg(why);
            return false;
        }
        current = next;
    }
    *version = current;
    return true;
}

} // namespace dipwb::store

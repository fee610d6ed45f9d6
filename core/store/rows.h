// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "participants/participant.h"
#include "store/records.h"

namespace dipwb::store {

class SqlStatement;

/// Column lists and row readers shared by every query, so a SELECT and its reader cannot drift
/// apart. alias ("m") qualifies each column for joins. Readers start at column `first` and return
/// the column after the last one they read.
namespace rows {

QByteArray requestColumns(const char *alias = nullptr);
QByteArray messageColumns(const char *alias = nullptr);
QByteArray deliveryColumns(const char *alias = nullptr);
QByteArray journalColumns(const char *alias = nullptr);
QByteArray appointmentColumns(const char *alias = nullptr);
QByteArray participantColumns(const char *alias = nullptr);

int read(const SqlStatement &s, int first, RequestRecord *r);
int read(const SqlStatement &s, int first, MessageRecord *m);
int read(const SqlStatement &s, int first, DeliveryRecord *d);
int read(const SqlStatement &s, int first, JournalEntry *e);
int read(const SqlStatement &s, int first, AppointmentRecord *a);
int read(const SqlStatement &s, int first, participants::Participant *p);

} // namespace rows
} // namespace dipwb::store

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/issue.h"
#include "participants/participant.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace dipwb::participants {

/// Reads a participants seed file (YAML, or JSON, which YAML reads too; see docs/participants-format.md).
/// Returns the participants in file order, or an empty list when anything is wrong. Every problem
/// found is appended to `issues` (not just the first), with context "FILE:LINE" and a text naming
/// the field path and why: "participants[2].dipId: '23000001' must be exactly 10 characters".
/// Webhook channels are stored normalised ("PUB-021" -> "IF-021"); a missing name becomes "<role> <mpid>".
QList<Participant> loadParticipantsFile(const QString &path, Issues *issues);
/// The same from bytes; `origin` is what the contexts name (a path, or ":/..." for a resource).
QList<Participant> parseParticipants(const QByteArray &yamlOrJson, const QString &origin, Issues *issues);

/// Field-level checks of one participant, shared by the loader and the participant editor. Each
/// issue gets `context`; its text starts with the field ("mpid: 'supa' must be ..."). Webhook
/// channels must be in stored form (IF-nnn or REP-nnn[A|B]).
Issues validateParticipant(const Participant &p, const QString &context);
bool isKnownRole(const QString &role);   ///< case-sensitive: "SUP", not "sup"
QStringList knownRoles();                ///< SUP REGS SDS ADS UMSDS MSS MSA UMSO LDSO MDS LSS MDR EES DCC ISD

/// Why a single value is not acceptable, in words that follow the field name; empty when it is fine.
/// The editor can show these next to the field being typed.
QString dipIdProblem(const QString &dipId);
QString roleProblem(const QString &role);
QString mpidProblem(const QString &mpid);
QString webhookUrlProblem(const QString &url);
QString apiKeyProblem(const QString &apiKey);

} // namespace dipwb::participants

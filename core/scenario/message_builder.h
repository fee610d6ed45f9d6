// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/json_util.h"
#include "scenario/pack.h"
#include "scenario/values.h"

#include <QStringList>

#include <functional>

namespace dipwb::schema {
class SchemaSet;
}

namespace dipwb::scenario {

/// The MPAN a message is about: M0 and the appointment lookups.
struct MpanBinding
{
    QString core;
    QString gsp = QStringLiteral("_A");
    QString distributorDipId;
    bool isSet() const { return !core.isEmpty(); }
};

/// What a message is built from besides its spec.
struct BuildContext
{
    const Pack *pack = nullptr;
    const catalogue::Catalogue *catalogue = nullptr;
    const schema::SchemaSet *schemas = nullptr;   ///< null: start from an empty CustomBlock
    Values *values = nullptr;
    QString defaultFrom;           ///< participant id when the spec names none (rules: the participant itself)
    QStringList defaultTo;         ///< recipients when the spec names none (rules: the trigger's sender)
    MpanBinding mpan;              ///< when the spec names none
    QString correlationId;         ///< S1.senderCorrelationID; empty: null
    /// Resolves a fixture id to its binding in this case (empty binding when unknown).
    std::function<MpanBinding(const QString &fixtureId)> fixture;
};

struct BuiltMessage
{
    QString channel;       ///< "IF-031"
    QString event;         ///< "[MSApp]"
    QString fromId;        ///< participant id
    QString senderDipId;
    QString reference;     ///< S1.senderUniqueReference
    QString mpan;
    QStringList recipients; ///< primary DIP ids
    OJson payload;         ///< the value of "payload"
    QStringList problems;  ///< unresolved ${...}, unknown participants: the step errs with these
};

/// Builds one message: the template chain (or the schema's example), the common blocks filled for
/// the sender, recipients and MPAN, then `set` (values evaluated) and `remove`.
BuiltMessage buildMessage(const MessageSpec &spec, BuildContext &ctx);

} // namespace dipwb::scenario

// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/message_builder.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "participants/participant.h"
#include "routing/json_path.h"
#include "schema/schema_set.h"

namespace dipwb::scenario {

namespace {

/// The template chain, deepest include first, ending with the spec itself.
QList<const MessageSpec *> chainOf(const MessageSpec &spec, const Pack &pack)
{
    QList<const MessageSpec *> chain{&spec};
    QString next = spec.templateName;
    // constFind: a const QMap's operator[] returns a copy, and the chain keeps pointers.
    for (auto it = pack.templates.constFind(next); it != pack.templates.cend() && chain.size() < 32;
         it = pack.templates.constFind(next)) {
        chain.prepend(&it->message);
        next = it->include;
    }
    return chain;
}

} // namespace

BuiltMessage buildMessage(const MessageSpec &spec, BuildContext &ctx)
{
    BuiltMessage out;
    const QList<const MessageSpec *> chain = chainOf(spec, *ctx.pack);
    QString schemaVersion;
    OJson payload;
    QString mpanSpec;
    for (const MessageSpec *m : chain) {
        if (!m->channel.isEmpty())
            out.channel = participants::normaliseChannelId(m->channel);
        if (!m->event.isEmpty())
            out.event = m->event;
        if (!m->schemaVersion.isEmpty())
            schemaVersion = m->schemaVersion;
        if (!m->body.is_null())
            payload = m->body;
        if (!m->from.isEmpty())
            out.fromId = m->from;
        if (!m->mpan.isEmpty())
            mpanSpec = m->mpan;
    }
    const catalogue::ChannelDef *channel = ctx.catalogue->channel(out.channel);
    if (!channel) {
        out.problems << QStringLiteral("channel %1 is not in catalogue %2").arg(out.channel, ctx.catalogue->version());
        return out;
    }
    if (schemaVersion.isEmpty())
        if (const catalogue::EventDef *e = channel->event(out.event))
            schemaVersion = e->schemaVersion;
    if (payload.is_null() && ctx.schemas) {
        const schema::SchemaKey key{out.channel, out.event, schemaVersion};
        if (ctx.schemas->has(key))
            payload = ctx.schemas->example(key);
    }
    if (!payload.is_object())
        payload = OJson{{"CommonBlock", OJson::object()}, {"CustomBlock", OJson::object()}};

    // The sender.
    if (out.fromId.isEmpty())
        out.fromId = ctx.defaultFrom;
    out.fromId = ctx.values->text(out.fromId);
    const PackParticipant *from = ctx.pack->participant(out.fromId);
    if (!from)
        from = ctx.pack->participantByDipId(out.fromId);
    if (!from) {
        out.problems << QStringLiteral("the sender '%1' is not a participant of the pack").arg(out.fromId);
        return out;
    }
    out.fromId = from->id;
    out.senderDipId = from->dipId;

    // Recipients: participant ids, or ${...} that give a DIP id (or a participant id).
    // The nearest `to:` written in the chain wins, even an empty one (no primary recipient).
    const QStringList toSpec = [&] {
        for (auto it = chain.crbegin(); it != chain.crend(); ++it)
            if ((*it)->toGiven)
                return (*it)->to;
        return ctx.defaultTo;
    }();
    for (const QString &t : toSpec) {
        const QString v = ctx.values->text(t);
        if (const PackParticipant *p = ctx.pack->participant(v))
            out.recipients << p->dipId;
        else if (v.size() == 10)
            out.recipients << v;
        else
            out.problems << QStringLiteral("recipient '%1' is neither a participant of the pack nor a DIP id").arg(v);
    }

    // The MPAN: a fixture id, a ${...} or a literal core; else the case's (or trigger's).
    MpanBinding mpan = ctx.mpan;
    if (!mpanSpec.isEmpty()) {
        const QString v = ctx.values->text(mpanSpec);
        const MpanBinding f = ctx.fixture ? ctx.fixture(v) : MpanBinding{};
        if (f.isSet()) {
            mpan = f;
        } else {
            mpan.core = v;
        }
    }
    out.mpan = channel->mpanBlock ? mpan.core : QString();

    const qint64 now = Clock::nowMs();
    out.reference = Values::uniqueReference(out.channel, from->dipId, from->role, now);
    setAtPath(payload, QStringLiteral("CommonBlock.S0.interfaceID"), ss(out.channel));
    setAtPath(payload, QStringLiteral("CommonBlock.S0.schemaVersion"), ss(schemaVersion));
    setAtPath(payload, QStringLiteral("CommonBlock.S0.eventCode"), ss(out.event));
    setAtPath(payload, QStringLiteral("CommonBlock.S1.environmentTag"), ss(ctx.pack->environment));
    if (!routing::jsonAtPath(payload, QStringLiteral("CommonBlock.S1.subText")))
        setAtPath(payload, QStringLiteral("CommonBlock.S1.subText"), nullptr);
    setAtPath(payload, QStringLiteral("CommonBlock.S1.senderUniqueReference"), ss(out.reference));
    // A second in the past, so a sender clock a little ahead of the DIP's is never "in the future".
    setAtPath(payload, QStringLiteral("CommonBlock.S1.senderTimestamp"), ss(dt::formatDt003London(now - 1000)));
    setAtPath(payload, QStringLiteral("CommonBlock.S1.senderDIPID"), ss(from->dipId));
    setAtPath(payload, QStringLiteral("CommonBlock.S1.senderRoleID"), ss(from->role));
    setAtPath(payload, QStringLiteral("CommonBlock.S1.senderCorrelationID"),
              ctx.correlationId.isEmpty() ? OJson(nullptr) : OJson(ss(ctx.correlationId)));
    setAtPath(payload, QStringLiteral("CommonBlock.S1.DIPConnectionProviderID"), nullptr);
    if (channel->mpanBlock) {
        if (!mpan.isSet())
            out.problems << QStringLiteral("%1 needs an MPAN: name one with mpan:, or list a fixture in the case").arg(out.channel);
        setAtPath(payload, QStringLiteral("CommonBlock.M0.MPANCore"), ss(mpan.core));
        setAtPath(payload, QStringLiteral("CommonBlock.M0.distributorDIPID"), ss(mpan.distributorDipId));
        setAtPath(payload, QStringLiteral("CommonBlock.M0.GSPGroupID"), ss(mpan.gsp));
    }
    OJson primary = OJson::array();
    for (const QString &r : std::as_const(out.recipients))
        primary.push_back(ss(r));
    setAtPath(payload, QStringLiteral("CommonBlock.A0"),
              OJson{{"primaryRecipients", primary}, {"secondaryRecipients", OJson::array()}, {"always", OJson::array()}});

    for (const MessageSpec *m : chain) {
        for (const auto &[path, value] : m->set)
            setAtPath(payload, path, ctx.values->evaluate(value));
        for (const QString &path : m->remove)
            removeAtPath(payload, path);
    }
    // `set` may have replaced the reference (a duplicate-reference case): report the one sent.
    out.reference = routing::stringAtPath(payload, QStringLiteral("CommonBlock.S1.senderUniqueReference"));
    for (const QString &u : ctx.values->takeUnresolved())
        out.problems << QStringLiteral("${%1} has no value here").arg(u);
    out.payload = std::move(payload);
    return out;
}

} // namespace dipwb::scenario

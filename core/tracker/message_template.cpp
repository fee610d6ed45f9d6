// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/message_template.h"

#include "common/dip_time.h"
#include "common/ids.h"
#include "schema/schema_set.h"

#include <QDateTime>
#include <QTimeZone>

namespace dipwb::tracker {

QString senderUniqueReference(const QString &channel, const QString &senderDipId, const QString &role, qint64 nowMs)
{
    const QString hex = QString::fromLatin1(senderDipId.toLatin1().toHex().right(10));
    const QString day = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd"));
    return QStringLiteral("S-%1-%2-%3-%4-%5").arg(channel, hex, role, day, ids::randomAlnum(10));
}

OJson messageTemplate(const TemplateRequest &r)
{
    const catalogue::ChannelDef *ch = r.channel;
    const QString channelId = ch ? ch->id : QStringLiteral("IF-000");
    const catalogue::EventDef *ev = ch ? ch->event(r.eventCode) : nullptr;
    const QString schemaVersion = ev ? ev->schemaVersion : QStringLiteral("011");

    OJson payload = OJson::object();
    if (r.schemas && ev) {
        const schema::SchemaKey key{channelId, r.eventCode, schemaVersion};
        if (r.schemas->has(key)) {
            OJson example = r.schemas->example(key);
            if (example.is_object() && example.contains("payload"))
                example = example["payload"];
            if (example.is_object())
                payload = example;
        }
    }
    OJson common = payload.contains("CommonBlock") && payload["CommonBlock"].is_object() ? payload["CommonBlock"] : OJson::object();
    common["S0"] = {{"interfaceID", ss(channelId)}, {"schemaVersion", ss(schemaVersion)}, {"eventCode", ss(r.eventCode)}};
    OJson s1 = OJson::object();
    s1["environmentTag"] = ss(r.environment);
    s1["subText"] = nullptr;
    s1["senderUniqueReference"] = ss(senderUniqueReference(channelId, r.sender.dipId, r.sender.role, r.nowMs));
    // A second in the past, so a clock a little ahead of the sender's never sees it as future.
    s1["senderTimestamp"] = ss(dt::formatDt003Utc(r.nowMs - 1000));
    s1["senderDIPID"] = ss(r.sender.dipId);
    s1["senderRoleID"] = ss(r.sender.role);
    s1["senderCorrelationID"] = ss(ids::correlationId(r.nowMs));
    s1["DIPConnectionProviderID"] = nullptr;
    common["S1"] = s1;
    if (!ch || ch->mpanBlock) {
        OJson m0 = common.contains("M0") && common["M0"].is_object() ? common["M0"] : OJson::object();
        m0["MPANCore"] = ss(r.mpan);
        m0["distributorDIPID"] = ss(r.distributorDipId);
        if (!m0.contains("GSPGroupID"))
            m0["GSPGroupID"] = "_A";
        common["M0"] = m0;
    }
    OJson primary = OJson::array();
    for (const QString &p : r.primaryRecipients)
        primary.push_back(ss(p));
    common["A0"] = {{"primaryRecipients", primary}, {"secondaryRecipients", OJson::array()}, {"always", OJson::array()}};

    // Blocks in envelope order, then whatever the example had besides.
    OJson ordered = OJson::object();
    for (const char *k : {"S0", "S1", "M0", "A0"})
        if (common.contains(k))
            ordered[k] = common[k];
    for (auto it = common.begin(); it != common.end(); ++it)
        if (!ordered.contains(it.key()))
            ordered[it.key()] = it.value();
    OJson out = OJson::object();
    out["CommonBlock"] = ordered;
    out["CustomBlock"] = payload.contains("CustomBlock") ? payload["CustomBlock"] : OJson::object();
    for (auto it = payload.begin(); it != payload.end(); ++it)
        if (!out.contains(it.key()))
            out[it.key()] = it.value();
    return OJson{{"payload", out}};
}

} // namespace dipwb::tracker

// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/egress.h"

#include "common/dip_time.h"

namespace dipwb::dip {

namespace {
OJson stringArray(const QStringList &list)
{
    OJson a = OJson::array();
    for (const QString &s : list)
        a.push_back(ss(s));
    return a;
}
} // namespace

QByteArray egressBody(const OJson &element, const EgressStamp &stamp)
{
    const OJson &payload = element.at("payload");
    const OJson &common = payload.at("CommonBlock");
    OJson outCommon = OJson::object();
    for (const char *key : {"S0", "S1"})
        if (const auto it = common.find(key); it != common.end())
            outCommon[key] = *it;
    OJson a0 = OJson::object();
    a0["primaryRecipients"] = stringArray(stamp.primary);
    a0["secondaryRecipients"] = stringArray(stamp.secondary);
    a0["always"] = stringArray(stamp.always);
    outCommon["A0"] = std::move(a0);
    OJson d0 = OJson::object();
    d0["transactionID"] = ss(stamp.transactionId);
    d0["transactionTimestamp"] = ss(dt::formatDt003Utc(stamp.transactionMs));
    d0["publicationID"] = ss(stamp.publicationId);
    d0["initialCorrelationID"] = stamp.initialCorrelationId.isEmpty() ? OJson(nullptr) : OJson(ss(stamp.initialCorrelationId));
    d0["replayIndicator"] = stamp.replay;
    d0["serviceTicketURL"] = nullptr;
    outCommon["D0"] = std::move(d0);
    for (auto it = common.begin(); it != common.end(); ++it) {
        const std::string &k = it.key();
        if (k != "S0" && k != "S1" && k != "A0" && k != "D0")
            outCommon[k] = it.value();
    }
    OJson outPayload = OJson::object();
    outPayload["CommonBlock"] = std::move(outCommon);
    for (auto it = payload.begin(); it != payload.end(); ++it)
        if (it.key() != "CommonBlock")
            outPayload[it.key()] = it.value();
    OJson item = OJson::object();
    item["payload"] = std::move(outPayload);
    OJson arr = OJson::array();
    arr.push_back(std::move(item));
    return qb(arr.dump());
}

QByteArray markReplay(const QByteArray &body)
{
    OJson arr = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (arr.is_discarded() || !arr.is_array())
        return body;
    for (OJson &item : arr) {
        auto p = item.find("payload");
        if (p == item.end())
            continue;
        auto c = p->find("CommonBlock");
        if (c == p->end())
            continue;
        auto d = c->find("D0");
        if (d != c->end() && d->is_object())
            (*d)["replayIndicator"] = true;
    }
    return qb(arr.dump());
}

} // namespace dipwb::dip

// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/remote_target.h"

#include "store/store.h"

namespace dipwb::scenario {

namespace {

constexpr int kPage = 500;

// A member by name, the exact spelling first: a DIP may write field names in another case.
const OJson *member(const OJson &object, const char *name)
{
    if (!object.is_object())
        return nullptr;
    if (const auto it = object.find(name); it != object.end())
        return &*it;
    const QByteArray wanted = QByteArray(name).toLower();
    for (auto it = object.begin(); it != object.end(); ++it)
        if (QByteArray::fromStdString(it.key()).toLower() == wanted)
            return &it.value();
    return nullptr;
}

QString text(const OJson *object, const char *name)
{
    const OJson *v = object ? member(*object, name) : nullptr;
    return v && v->is_string() ? qs(v->get<std::string>()) : QString();
}

// "/to/1300000001" or "/to/1300000001/status" -> the DIP id.
QString recipientOf(const QString &path, bool *status)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    *status = parts.size() >= 3 && parts.at(2) == QLatin1String("status");
    return parts.size() >= 2 && parts.at(0) == QLatin1String("to") ? parts.at(1) : QString();
}

// The sender a send step names, following its template (and their includes); empty when only
// known at run time (a ${...}).
QString senderOf(const Pack &pack, const MessageSpec &spec)
{
    if (!spec.from.isEmpty())
        return spec.from;
    QString name = spec.templateName;
    for (int depth = 0; depth < 16 && !name.isEmpty(); ++depth) {
        const auto it = pack.templates.constFind(name);
        if (it == pack.templates.cend())
            return {};
        if (!it->message.from.isEmpty())
            return it->message.from;
        name = it->include;
    }
    return {};
}

QString partyText(const PackParticipant *p)
{
    return QStringLiteral("%1 (%2 %3)").arg(p->id, p->role, p->dipId);
}

} // namespace

const RemoteParty *RemoteTarget::party(const QString &dipId) const
{
    for (const RemoteParty &p : parties)
        if (p.dipId == dipId)
            return &p;
    return nullptr;
}

QString remoteHookPath(const QString &dipId)
{
    return QStringLiteral("/to/") + dipId;
}

ReceivedLog::ReceivedLog(store::Store *store)
    : m_store(store)
    , m_lastId(store->lastRequestId())
{
}

const QList<Received> &ReceivedLog::refresh()
{
    for (;;) {
        const QList<store::RequestRecord> page = m_store->requests(m_lastId, kPage);
        for (const store::RequestRecord &r : page) {
            m_lastId = r.id;
            bool status = false;
            const QString to = recipientOf(r.path, &status);
            if (to.isEmpty())
                continue; // not one of the run's webhooks
            Received base;
            base.atMs = r.receivedMs;
            base.toDipId = to;
            base.httpStatus = r.httpStatus;
            base.signature = r.signature;
            base.body = r.body;
            const OJson body = OJson::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
            if (status || !body.is_array()) {
                base.key = r.id * 1000;
                base.statusMessage = true;
                m_items << base;
                continue;
            }
            int index = 0;
            for (const OJson &element : body) {
                Received one = base;
                one.key = r.id * 1000 + std::min(index++, 999);
                const OJson *payload = member(element, "payload");
                const OJson *common = payload ? member(*payload, "CommonBlock") : nullptr;
                const OJson *s0 = common ? member(*common, "S0") : nullptr;
                const OJson *s1 = common ? member(*common, "S1") : nullptr;
                const OJson *d0 = common ? member(*common, "D0") : nullptr;
                const OJson *m0 = common ? member(*common, "M0") : nullptr;
                one.channel = text(s0, "interfaceID");
                one.event = text(s0, "eventCode");
                one.senderDipId = text(s1, "senderDIPID");
                one.transactionId = text(d0, "transactionID");
                one.publicationId = text(d0, "publicationID");
                one.mpan = text(m0, "MPANCore");
                if (payload)
                    one.payload = *payload;
                m_items << one;
            }
        }
        if (page.size() < kPage)
            return m_items;
    }
}

QString remoteObstacle(const Pack &pack, const TestCase &c, const RemoteTarget &target)
{
    for (const QString &id : c.fixtures)
        if (const MpanFixture *f = pack.fixture(id); f && !f->appointments.isEmpty())
            return QStringLiteral("its MPAN fixture %1 needs appointments, which the workbench cannot set on a remote DIP").arg(id);
    for (int i = 0; i < c.steps.size(); ++i) {
        const Step &s = c.steps.at(i);
        const QString step = QStringLiteral("step %1 (%2)").arg(i + 1).arg(s.pos.toString());
        switch (s.kind) {
        case Step::Kind::Appoint:
        case Step::Kind::CheckAppointment:
            return step + QStringLiteral(" sets or reads appointments, which only the local emulator allows");
        case Step::Kind::Send: {
            const QString from = senderOf(pack, s.message);
            if (from.contains(QLatin1String("${")) || from.isEmpty())
                break; // known when it is sent
            const PackParticipant *p = pack.participant(from);
            if (p && !target.party(p->dipId))
                return step + QStringLiteral(" sends as %1, for whom no profile of the run speaks").arg(partyText(p));
            break;
        }
        case Step::Kind::Expect:
        case Step::Kind::ExpectNothing:
            if (const PackParticipant *p = pack.participant(s.to); p && !target.party(p->dipId))
                return step + QStringLiteral(" watches what reaches %1, which only its own webhook sees").arg(partyText(p));
            break;
        default:
            break;
        }
    }
    return {};
}

} // namespace dipwb::scenario

// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/pack.h"

namespace dipwb::scenario {

const PackParticipant *Pack::participant(const QString &id) const
{
    for (const auto &p : participants)
        if (p.id == id)
            return &p;
    return nullptr;
}

const PackParticipant *Pack::participantByDipId(const QString &dipId) const
{
    for (const auto &p : participants)
        if (p.dipId == dipId)
            return &p;
    return nullptr;
}

const MpanFixture *Pack::fixture(const QString &id) const
{
    for (const auto &f : fixtures)
        if (f.id == id)
            return &f;
    return nullptr;
}

QList<const TestCase *> Pack::allCases() const
{
    QList<const TestCase *> out;
    for (const auto &s : scenarios)
        for (const auto &c : s.cases)
            out << &c;
    return out;
}

int Pack::caseCount() const
{
    int n = 0;
    for (const auto &s : scenarios)
        n += int(s.cases.size());
    return n;
}

QString stepKindName(Step::Kind kind)
{
    switch (kind) {
    case Step::Kind::Send: return QStringLiteral("send");
    case Step::Kind::Expect: return QStringLiteral("expect");
    case Step::Kind::ExpectRejection: return QStringLiteral("expectRejection");
    case Step::Kind::ExpectNothing: return QStringLiteral("expectNothing");
    case Step::Kind::Wait: return QStringLiteral("wait");
    case Step::Kind::Appoint: return QStringLiteral("appoint");
    case Step::Kind::CheckAppointment: return QStringLiteral("checkAppointment");
    }
    return {};
}

} // namespace dipwb::scenario

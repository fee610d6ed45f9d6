// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: a request body through the envelope area (parsing, key normalisation, every L1
// check) with the built-in catalogue and a small fixed registry, as `POST /dip-channel/{id}` runs
// it. Time and the registry are fixed, so an input always takes the same path.
#include "catalogue/catalogue.h"
#include "common/untrusted_json.h"
#include "envelope/l1_checks.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace dipwb;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

std::optional<participants::Participant> participant(const QString &dipId)
{
    static const struct { const char *id, *role, *mpid; } known[] = {
        {"1100000001", "REGS", "REGA"}, {"2300000185", "SUP", "SUPA"}, {"1300000001", "MSS", "MSSA"},
        {"1400000001", "SDS", "SDSA"},  {"2500000033", "LDSO", "LDSA"}, {"1800000001", "MDS", "MDSA"}};
    for (const auto &k : known) {
        if (dipId != QLatin1String(k.id))
            continue;
        participants::Participant p;
        p.dipId = QString::fromLatin1(k.id);
        p.role = QString::fromLatin1(k.role);
        p.mpid = QString::fromLatin1(k.mpid);
        p.name = QStringLiteral("fuzz");
        return p;
    }
    return std::nullopt;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const catalogue::CataloguePtr builtIn = catalogue::Catalogue::builtIn();
    check(builtIn != nullptr, "the built-in catalogue loads");
    static const QString channels[] = {QStringLiteral("IF-033"), QStringLiteral("IF-021"), QStringLiteral("IF-001"),
                                       QStringLiteral("REP-002A"), QStringLiteral("if-036"), QString()};
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    envelope::L1Context ctx;
    ctx.catalogue = builtIn.get();
    ctx.pathChannelId = channels[size % std::size(channels)];
    ctx.participant = participant;
    ctx.referenceUsed = [](const QString &, const QString &reference) { return reference.endsWith(QLatin1String("USED")); };
    ctx.nowMs = 1719835200000;  // 2024-07-01T12:00:00Z
    ctx.rejectBadMpanCheckDigit = (size & 1) != 0;

    const envelope::L1Result r = envelope::checkRequest(body, ctx);
    check(r.ok == r.failures.isEmpty(), "ok exactly when nothing failed");
    check(r.failures.size() <= 100, "at most 100 failures are reported");
    check(!r.ok || !r.messages.isEmpty(), "an accepted request has messages");
    for (const envelope::L1Failure &f : r.failures) {
        check(f.code.startsWith(QLatin1String("MSG")), "failure codes are MSGnnnn");
        check(!envelope::codeText(f.code).isEmpty(), "every failure code has a text");
        check(!envelope::helpText(f).isEmpty(), "every failure has a help text");
    }
    for (const envelope::ParsedMessage &m : r.messages) {
        if (!r.ok)
            break;
        OJson again = m.element;
        QString why;
        check(envelope::normaliseKeys(again, &why), "a normalised message normalises again");
        check(again == m.element, "normalising is idempotent");
        (void)m.element.dump();
    }

    // Key normalisation on its own, on whatever JSON the bytes are, including bodies the checks
    // stop at before reaching it.
    OJson doc = parseUntrustedJson(body);
    if (doc.is_array()) {
        for (OJson &element : doc) {
            QString why;
            if (envelope::normaliseKeys(element, &why)) {
                OJson again = element;
                check(envelope::normaliseKeys(again, &why) && again == element, "normalising is idempotent");
            } else {
                check(!why.isEmpty(), "a refused normalisation says why");
            }
        }
    }
    return 0;
}

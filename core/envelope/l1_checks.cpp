// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope/l1_checks.h"

#include "common/clock.h"
#include "common/untrusted_json.h"
#include "envelope/message_check.h"

namespace dipwb::envelope {

namespace {

constexpr int kMaxFailures = 100;

} // namespace

L1Result checkRequest(const QByteArray &body, const L1Context &ctx)
{
    L1Result result;
    auto bodyFailure = [&result](const char *code, const QString &reason) {
        result.failures.append({-1, QLatin1String(code), QStringLiteral("body"), reason, {}, {}});
    };
    if (!ctx.catalogue) {
        bodyFailure("MSG1000", QStringLiteral("the emulator has no catalogue of channels loaded"));
        return result;
    }
    if (body.trimmed().isEmpty()) {
        bodyFailure("MSG1001", QStringLiteral("the request body is empty; it must be a JSON array of messages"));
        return result;
    }
    QString why;
    OJson root = parseUntrustedJson(body, &why);
    if (root.is_discarded()) {
        bodyFailure("MSG1001", why);
        return result;
    }
    if (!root.is_array()) {
        bodyFailure("MSG1001",
                    QStringLiteral("the request body must be an array of messages [{\"payload\": ...}], not %1")
                        .arg(jsonTypeName(root)));
        return result;
    }
    auto &elements = root.get_ref<OJson::array_t &>();
    if (elements.empty()) {
        bodyFailure("MSG1001", QStringLiteral("the request body must be an array of at least one message"));
        return result;
    }

    detail::RequestState rq{ctx, ctx.nowMs ? ctx.nowMs : Clock::nowMs(), ctx.pathChannelId.trimmed().toUpper(),
                            elements.size() > 1, {}};
    if (rq.multiple)
        rq.references.reserve(qsizetype(elements.size()));
    result.messages.reserve(qsizetype(elements.size()));
    for (size_t i = 0; i < elements.size() && result.failures.size() < kMaxFailures; ++i) {
        ParsedMessage &m = result.messages.emplace_back();
        m.index = int(i);
        m.element = std::move(elements[i]);
        const QList<L1Failure> failures = detail::MessageCheck(rq, m).run();
        for (const L1Failure &f : failures) {
            if (result.failures.size() >= kMaxFailures)
                break;
            result.failures.append(f);
        }
    }
    result.ok = result.failures.isEmpty();
    return result;
}

} // namespace dipwb::envelope

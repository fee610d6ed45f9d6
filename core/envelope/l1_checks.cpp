// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope/l1_checks.h"

#include "common/clock.h"
#include "envelope/message_check.h"

namespace dipwb::envelope {

namespace {

constexpr int kMaxFailures = 100;

// The part of nlohmann's parser that reports where a body stops being JSON. Only run on bodies that
// already failed to parse, so the common path parses once.
struct ErrorFinder final : nlohmann::json_sax<OJson>
{
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool string(string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t &) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string &, const nlohmann::detail::exception &ex) override
    {
        position = pos;
        what = ex.what();
        return false;
    }
    std::size_t position = 0;
    std::string what;
};

QString parseErrorReason(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return QStringLiteral("the request body is empty; it must be a JSON array of messages");
    ErrorFinder finder;
    OJson::sax_parse(body.constBegin(), body.constEnd(), &finder);
    QString what = qs(finder.what);
    // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." -> "parse error at ..."
    if (what.startsWith(QLatin1Char('[')))
        what = what.mid(what.indexOf(QLatin1Char(']')) + 1).trimmed();
    return QStringLiteral("not valid JSON at byte %1: %2").arg(finder.position).arg(what);
}

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
    OJson root = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (root.is_discarded()) {
        bodyFailure("MSG1001", parseErrorReason(body));
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

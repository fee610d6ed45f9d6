// SPDX-License-Identifier: GPL-3.0-or-later
// Payload schema validation speed: a typical IF-033 and a 48-period IF-021, built from
// SchemaSet::example(). Usage: dipwb-schema-bench [reference-dir] [spec-version] [iterations]
// (reference-dir defaults to $DIPWB_REFERENCE_DIR, the folder holding elexon-dip-api-x.y.z).
#include "schema/json_schema_validator.h"
#include "schema/schema_set.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

using namespace dipwb;
using namespace dipwb::schema;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

struct Figures
{
    double median = 0, p99 = 0;
};

Figures measure(int iterations, const std::function<void()> &work)
{
    for (int i = 0; i < iterations / 10; ++i)
        work();
    std::vector<double> us;
    us.reserve(std::size_t(iterations));
    for (int i = 0; i < iterations; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(us.begin(), us.end());
    return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

void report(const QString &what, const Figures &f)
{
    out() << QStringLiteral("%1  median %2 us  p99 %3 us\n").arg(what, -44).arg(f.median, 8, 'f', 2).arg(f.p99, 8, 'f', 2);
    out().flush();
}

// The IF-021 example has one consumption period; a day of half hours has 48.
OJson withPeriods(OJson payload, int count)
{
    OJson &periods = payload["CustomBlock"]["B900"]["settlementDayConsumptionPeriods"][0]["consumptionPeriods"];
    const OJson first = periods.at(0);
    periods = OJson::array();
    for (int i = 0; i < count; ++i) {
        OJson p = first;
        p["sp"] = ss(QStringLiteral("2024-07-01T%1:%2:00+01:00").arg(i / 2, 2, 10, QLatin1Char('0')).arg(i % 2 ? 30 : 0, 2, 10, QLatin1Char('0')));
        p["v"] = ss(QStringLiteral("%1.%2").arg(i * 3).arg(i * 7 % 1000, 3, 10, QLatin1Char('0')));
        periods.push_back(std::move(p));
    }
    return payload;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QString dir = args.value(1, qEnvironmentVariable("DIPWB_REFERENCE_DIR"));
    const QString version = args.value(2, QStringLiteral("2.1.0"));
    const int iterations = args.value(3, QStringLiteral("20000")).toInt();
    if (dir.isEmpty()) {
        QTextStream(stderr) << "usage: dipwb-schema-bench REFERENCE_DIR [VERSION] [ITERATIONS] (or set DIPWB_REFERENCE_DIR)\n";
        return 2;
    }
    if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("Interfaces-EventCodes-unresolved.yaml"))))
        dir = QDir(dir).filePath(QStringLiteral("elexon-dip-api-") + version);

    QElapsedTimer timer;
    timer.start();
    ImportResult result;
    const auto set = SchemaSet::importDirectory(dir, &result);
    if (!set) {
        QTextStream(stderr) << "import failed: " << (result.issues.isEmpty() ? QString() : result.issues.first().toString()) << "\n";
        return 1;
    }
    out() << "import of " << dir << ": " << timer.elapsed() << " ms, " << set->keys().size() << " events\n";
    const QByteArray persisted = set->toJson();
    timer.restart();
    const auto reloaded = SchemaSet::fromJson(persisted, QStringLiteral("bench"), nullptr);
    out() << "load of the persisted form (" << persisted.size() / 1024 << " KiB): " << timer.elapsed() << " ms\n";

    const SchemaKey if033{QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), QStringLiteral("011")};
    const SchemaKey if021{QStringLiteral("IF-021"), QStringLiteral("[ActivePower]"), QStringLiteral("011")};
    const OJson msg033 = set->example(if033);
    const OJson msg021 = withPeriods(set->example(if021), 48);
    if (!set->validate(if033, msg033).isEmpty() || !set->validate(if021, msg021).isEmpty() || !reloaded) {
        QTextStream(stderr) << "the benchmark messages do not validate\n";
        return 1;
    }
    out() << "IF-033 message " << msg033.dump().size() << " bytes, IF-021 message " << msg021.dump().size() << " bytes, "
          << iterations << " iterations each\n";

    std::size_t sink = 0;
    report(QStringLiteral("SchemaSet::validate IF-033 (valid)"), measure(iterations, [&] { sink += set->validate(if033, msg033).size(); }));
    report(QStringLiteral("SchemaSet::validate IF-021 48 periods (valid)"), measure(iterations, [&] { sink += set->validate(if021, msg021).size(); }));

    OJson bad033 = msg033;
    bad033["CommonBlock"]["S1"]["senderTimestamp"] = "2024-07-01T00:00:00Z";
    report(QStringLiteral("SchemaSet::validate IF-033 (1 error, worded)"), measure(iterations / 10, [&] { sink += set->validate(if033, bad033).size(); }));

    // For comparison: valijson on its own, without the quick check in front.
    for (const auto &[key, msg, name] : {std::make_tuple(if033, &msg033, QStringLiteral("IF-033")), std::make_tuple(if021, &msg021, QStringLiteral("IF-021 48 periods"))}) {
        JsonSchemaValidator engine;
        engine.compile(set->jsonSchema(key));
        report(QStringLiteral("valijson alone %1").arg(name), measure(iterations / 4, [&, m = msg] { sink += engine.isValidByEngine(*m); }));
    }
    out() << "(checksum " << sink << ")\n";
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Every model of the workbench under QAbstractItemModelTester, with the behaviour users rely on:
// the tracker pages lazily, filters, appends live batches, pauses; the payload tree walks the JSON.
#include "dashboard/dashboard_series.h"
#include "detail/inspector_widget.h"
#include "detail/json_tree_model.h"
#include "detail/record_models.h"
#include "participants/participants_model.h"
#include "schema/schema_set.h"
#include "store_fixture.h"
#include "tracker/message_table_model.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using namespace dipwb::ui;

class TestModels final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    const qint64 m_t0 = 1719820800000;

    QList<qint64> fill(int n, int from = 0)
    {
        QList<qint64> ids;
        for (int i = from; i < from + n; ++i) {
            testui::SampleSpec s;
            s.mpan = i % 2 ? QStringLiteral("1012345678904") : QStringLiteral("2000012345673");
            ids << testui::insertSample(*m_store, s, m_t0 + i * 1000, i);
        }
        return ids;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("workbench.db")), &issues);
        QVERIFY(m_store);
    }

    void trackerLoadsFiltersAndAppends()
    {
        const QList<qint64> first = fill(450); // more than two pages
        MessageTableModel model(m_store.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 450);
        QCOMPARE(model.messageId(0), first.first());
        QCOMPARE(model.index(0, MessageTableModel::Channel).data().toString(), QStringLiteral("IF-033"));
        QCOMPARE(model.index(0, MessageTableModel::ReceivedUtc).data().toString(), QStringLiteral("2024-07-01 08:00:00.000"));
        QCOMPARE(model.index(0, MessageTableModel::ReceivedLondon).data().toString(), QStringLiteral("2024-07-01 09:00:00 BST"));
        QCOMPARE(model.index(449, MessageTableModel::Deliveries).data().toString(), QStringLiteral("1/1 delivered"));
        QCOMPARE(model.index(449, MessageTableModel::Sender).data().toString(), QStringLiteral("REGS:1100000001"));

        // Live: one batch is one insertion.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const QList<qint64> more = fill(5, 450);
        model.onMessagesStored(more);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 455);
        model.onMessagesStored(more); // the same ids again change nothing
        QCOMPARE(model.rowCount(), 455);

        // Paused: counted, not shown; resuming shows them.
        model.setPaused(true);
        const QList<qint64> later = fill(3, 455);
        model.onMessagesStored(later);
        QCOMPARE(model.rowCount(), 455);
        QCOMPARE(model.pendingWhilePaused(), 3);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 458);

        // Filter by MPAN: only every other message; live arrivals are filtered too.
        tracker::MessageFilter f;
        f.mpan = QStringLiteral("1012345678904");
        model.setFilter(f);
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 229);
        const QList<qint64> two = fill(2, 458); // 458: other MPAN, 459: this MPAN
        model.onMessagesStored(two);
        QTRY_COMPARE(model.rowCount(), 230);
        QCOMPARE(model.messageId(229), two.last());
        QCOMPARE(model.index(229, MessageTableModel::Mpan).data().toString(), QStringLiteral("1012345678904"));
    }

    void trackerRefreshesChangedCopies()
    {
        MessageTableModel model(m_store.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(!model.isLoading());
        const int row = model.rowCount() - 1;
        QCOMPARE(model.index(row, MessageTableModel::Deliveries).data().toString(), QStringLiteral("1/1 delivered"));
        const qint64 messageId = model.messageId(row);
        const auto copies = m_store->deliveriesOfMessage(messageId);
        QCOMPARE(copies.size(), 1);
        store::DeliveryRecord d = copies.first();
        d.status = QStringLiteral("RejectedByRecipient");
        m_store->write([d](store::WriteTxn &t) { t.updateDeliveryState(d); });
        m_store->flush();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.onDeliveriesUpdated({d.id});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(row, MessageTableModel::Deliveries).data().toString(), QStringLiteral("0/1 delivered, 1 failed"));
    }

    void jsonTree()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(OJson::parse(R"([{"payload":{"CommonBlock":{"S0":{"interfaceID":"IF-033","n":3,"x":null}},"CustomBlock":{"L":[1,2]}}}])"));
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex s0 = model.indexOfPath(QStringLiteral("[0].payload.CommonBlock.S0"));
        QVERIFY(s0.isValid());
        QCOMPARE(model.rowCount(s0), 3);
        QCOMPARE(model.index(0, JsonTreeModel::Value, s0).data().toString(), QStringLiteral("IF-033"));
        QCOMPARE(model.index(1, JsonTreeModel::Type, s0).data().toString(), QStringLiteral("number"));
        QCOMPARE(model.index(2, JsonTreeModel::Value, s0).data().toString(), QStringLiteral("null"));
        QCOMPARE(model.parent(model.index(0, 0, s0)), s0);
        const QModelIndex list = model.indexOfPath(QStringLiteral("[0].payload.CustomBlock.L"));
        QCOMPARE(list.siblingAtColumn(JsonTreeModel::Value).data().toString(), QStringLiteral("[2]"));
        QCOMPARE(model.index(1, 0, list).data(JsonTreeModel::PathRole).toString(), QStringLiteral("[0].payload.CustomBlock.L[1]"));
        // Problems marked at their node; a missing field at its parent; a new document clears them.
        model.setProblems({{QStringLiteral("[0].payload.CommonBlock.S0.n"), QStringLiteral("3 is too small")},
                           {QStringLiteral("[0].payload.CustomBlock.B9"), QStringLiteral("required field 'B9' is missing")}});
        QCOMPARE(model.markedCount(), 2);
        const QModelIndex n = model.indexOfPath(QStringLiteral("[0].payload.CommonBlock.S0.n"));
        QVERIFY(n.data(Qt::ToolTipRole).toString().endsWith(QStringLiteral("3 is too small")));
        QVERIFY(n.data(Qt::BackgroundRole).isValid());
        const QModelIndex custom = model.indexOfPath(QStringLiteral("[0].payload.CustomBlock"));
        QVERIFY(custom.data(Qt::ToolTipRole).toString().contains(QStringLiteral("'B9' is missing")));
        QVERIFY(!model.indexOfPath(QStringLiteral("[0].payload.CommonBlock.S0.x")).data(Qt::BackgroundRole).isValid());
        model.setDocument(OJson::object());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.markedCount(), 0);
    }

    // The inspector checks a stored payload against the schemas in use and marks what fails.
    void inspectorMarksSchemaProblems()
    {
        const qint64 id = fill(1, 90000).first(); // a sample whose payload is nearly empty
        QVERIFY(id > 0);
        InspectorWidget inspector(m_store.get());
        inspector.setSchemas(schema::SchemaSet::builtIn());
        inspector.showMessage(id);
        QVERIFY2(inspector.header()->text().contains(QStringLiteral("schema problem")), qPrintable(inspector.header()->text()));
        QVERIFY(inspector.payloadModel()->markedCount() > 0);
        const QModelIndex common = inspector.payloadModel()->indexOfPath(QStringLiteral("payload.CommonBlock"));
        QVERIFY(common.isValid());
        QVERIFY2(common.data(Qt::ToolTipRole).toString().contains(QStringLiteral("missing")), qPrintable(common.data(Qt::ToolTipRole).toString()));
    }

    void recordModels()
    {
        const qint64 id = m_store->messageIds({}, 0, 1).first();
        DeliveriesModel deliveries;
        QAbstractItemModelTester t1(&deliveries, QAbstractItemModelTester::FailureReportingMode::QtTest);
        deliveries.setDeliveries(m_store->deliveriesOfMessage(id), m_t0);
        QCOMPARE(deliveries.rowCount(), 1);
        QCOMPARE(deliveries.index(0, DeliveriesModel::Latency).data().toString(), QStringLiteral("40 ms"));
        QCOMPARE(deliveries.index(0, DeliveriesModel::Reason).data().toString(), QStringLiteral("Primary"));

        JournalModel journal;
        QAbstractItemModelTester t2(&journal, QAbstractItemModelTester::FailureReportingMode::QtTest);
        journal.setEntries(m_store->journalOfMessage(id));
        QCOMPARE(journal.rowCount(), 2);
        QCOMPARE(journal.index(1, JournalModel::Step).data().toString(), QStringLiteral("+40 ms"));
        QCOMPARE(journal.index(1, JournalModel::Stage).data().toString(), QStringLiteral("Outbound"));
        QCOMPARE(JournalModel::formatDuration(1500), QStringLiteral("1.50 s"));
        QCOMPARE(JournalModel::formatDuration(125000), QStringLiteral("2 min 5 s"));

        const auto routes = parseRouting(QStringLiteral("Primary:[MSS:1300000001];Secondary:[SUP:2300000185,LDSO:2500000033];Always:[]"));
        QCOMPARE(routes.size(), 3);
        QCOMPARE(routes.at(2).kind, QStringLiteral("Secondary"));
        QCOMPARE(routes.at(2).role, QStringLiteral("LDSO"));
        QCOMPARE(routes.at(2).dipId, QStringLiteral("2500000033"));
    }

    void participantsModel()
    {
        ParticipantsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        participants::Participant p;
        p.dipId = QStringLiteral("1300000001");
        p.role = QStringLiteral("MSS");
        p.webhooks.insert(QStringLiteral("IF-033"), QStringLiteral("http://127.0.0.1:9000/pub"));
        model.setParticipants({p});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, ParticipantsModel::Webhooks).data().toString(), QStringLiteral("IF-033=http://127.0.0.1:9000/pub"));
        QString error;
        const auto hooks = ParticipantsModel::parseWebhooks(QStringLiteral("pub-021 = http://h:1/a, IF-033=http://h:2/b"), &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(hooks.value(QStringLiteral("IF-021")), QStringLiteral("http://h:1/a"));
        QVERIFY(ParticipantsModel::parseWebhooks(QStringLiteral("IF-033 http://x"), &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }

    void dashboardSeries()
    {
        QCOMPARE(DashboardSeries::quantile({5, 1, 3, 2, 4}, 0.5), 3.0);
        QCOMPARE(DashboardSeries::quantile({5, 1, 3, 2, 4}, 0.99), 5.0);
        QCOMPARE(DashboardSeries::quantile({}, 0.5), 0.0);
        DashboardSeries s(60, 10);
        const qint64 now = 1000000000;
        s.addMessages(now - 2000, 3);
        s.addMessages(now - 1500, 2);
        s.addMessages(now, 7);
        for (int i = 1; i <= 100; ++i)
            s.addLatency(now - 1000, i);
        const auto points = s.points(now);
        QCOMPARE(points.size(), 3);
        QCOMPARE(points.at(0).rate, 5.0);
        QCOMPARE(points.at(2).rate, 7.0);
        QCOMPARE(points.at(0).p99, 0.0);
        QCOMPARE(points.at(1).p50, 50.0);
        QCOMPARE(points.at(2).p95, 95.0);
        QCOMPARE(points.at(2).p99, 99.0);
        QCOMPARE(s.totalMessages(), 12);
        // Old data leaves the window.
        s.addMessages(now + 120000, 1);
        const auto later = s.points(now + 120000);
        QCOMPARE(later.size(), 1);
        QCOMPARE(later.first().rate, 1.0);
        QCOMPARE(later.first().p50, 0.0);
    }
};

QTEST_MAIN(TestModels)
#include "test_models.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The tracker's second filter row (time range, role, environment, replay) and its saved filters,
// offscreen over a real workspace database.
#include "catalogue/catalogue.h"
#include "store_fixture.h"
#include "tracker/filter_extras.h"
#include "tracker/message_table_model.h"
#include "tracker/saved_filters.h"
#include "tracker/tracker_view.h"

#include <QApplication>
#include <QComboBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;

class TestTrackerExtras final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;

    static void choose(QComboBox *box, const QVariant &data)
    {
        const int i = box->findData(data);
        QVERIFY2(i >= 0, qPrintable(data.toString()));
        box->setCurrentIndex(i);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The saved filters go to this test's own settings file, not the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("dipwb-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tracker-extras"));
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("workbench.db")), &issues);
        QVERIFY(m_store);
        testui::insertMixedSamples(*m_store);
    }

    void rowTwoFiltersAndSavedFiltersComeBack()
    {
        ui::TrackerView view(m_store.get(), *catalogue::Catalogue::builtIn());
        view.resize(1500, 600);
        view.show();
        QTRY_VERIFY(!view.model()->isLoading());
        QCOMPARE(view.model()->rowCount(), 30);

        ui::FilterExtras *extras = view.extras();
        choose(extras->role(), QStringLiteral("SDS"));
        QTRY_COMPARE(view.model()->rowCount(), 10);
        choose(extras->environment(), QStringLiteral("UIT"));
        QTRY_COMPARE(view.model()->rowCount(), 2); // i = 7 and 22
        choose(extras->replay(), int(tracker::MessageFilter::Replay::Replayed));
        QTRY_COMPARE(view.model()->rowCount(), 0);
        choose(extras->replay(), int(tracker::MessageFilter::Replay::Any));
        QTRY_COMPARE(view.model()->rowCount(), 2);
        choose(extras->stage(), QStringLiteral("Addressing"));
        QTRY_COMPARE(view.model()->rowCount(), 0);
        choose(extras->stage(), QStringLiteral("Outbound"));
        QTRY_COMPARE(view.model()->rowCount(), 2);

        QString why;
        QVERIFY(view.saveFilterAs(QStringLiteral("SDS in UIT"), &why));
        QVERIFY(!view.saveFilterAs(QStringLiteral("a/b"), &why));
        QVERIFY2(why.contains(QLatin1String("'/'")), qPrintable(why));
        QVERIFY(ui::SavedFilters().names().contains(QStringLiteral("SDS in UIT")));

        view.setFilter({});
        QTRY_COMPARE(view.model()->rowCount(), 30);
        QCOMPARE(extras->role()->currentIndex(), 0);
        QVERIFY(view.applySavedFilter(QStringLiteral("SDS in UIT"), &why));
        QTRY_COMPARE(view.model()->rowCount(), 2);
        QCOMPARE(extras->role()->currentData().toString(), QStringLiteral("SDS"));
        QCOMPARE(extras->environment()->currentData().toString(), QStringLiteral("UIT"));

        // A relative range is saved as such: "last hour" stays the last hour, whenever applied.
        view.setFilter({});
        extras->setTimePreset(QStringLiteral("1h"));
        QTRY_COMPARE(view.model()->rowCount(), 0); // the samples are from 2024
        QVERIFY(view.saveFilterAs(QStringLiteral("last hour"), &why));
        const auto saved = ui::SavedFilters().load(QStringLiteral("last hour"), &why);
        QVERIFY(saved);
        QCOMPARE(saved->timePreset, QStringLiteral("1h"));
        QCOMPARE(saved->filter.fromMs, qint64(0));
        view.setFilter({});
        QTRY_COMPARE(view.model()->rowCount(), 30);
        QVERIFY(view.applySavedFilter(QStringLiteral("last hour"), &why));
        QCOMPARE(extras->timePreset(), QStringLiteral("1h"));
        QTRY_COMPARE(view.model()->rowCount(), 0);

        // A custom range shows the messages received in it.
        tracker::MessageFilter window;
        window.fromMs = testui::kMixedT0 + 3000;
        window.toMs = testui::kMixedT0 + 9000;
        view.setFilter(window);
        QCOMPARE(extras->timePreset(), QStringLiteral("custom"));
        QTRY_COMPARE(view.model()->rowCount(), 6);

        const QString shot = qEnvironmentVariable("DIPWB_SCREENSHOT_DIR");
        if (!shot.isEmpty())
            QVERIFY(view.grab().save(shot + QStringLiteral("/tracker-time-range.png")));

        // A saved filter edited by hand into nonsense is refused with the reason; the view keeps its filter.
        {
            QSettings s;
            s.setValue(QStringLiteral("TrackerFilters/broken"), QByteArrayLiteral("{\"filter\":{\"replay\":\"sometimes\"}}"));
        }
        QVERIFY(!view.applySavedFilter(QStringLiteral("broken"), &why));
        QVERIFY2(why.contains(QLatin1String("'broken'")) && why.contains(QLatin1String("replay")), qPrintable(why));
        QCOMPARE(view.model()->rowCount(), 6);
        QVERIFY(!view.applySavedFilter(QStringLiteral("nothing by this name"), &why));
        QVERIFY2(why.contains(QLatin1String("no saved filter")), qPrintable(why));

        ui::SavedFilters().remove(QStringLiteral("last hour"));
        QVERIFY(!ui::SavedFilters().names().contains(QStringLiteral("last hour")));
    }
};

QTEST_MAIN(TestTrackerExtras)
#include "test_tracker_extras.moc"

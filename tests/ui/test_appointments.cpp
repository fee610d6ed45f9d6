// SPDX-License-Identifier: GPL-3.0-or-later
// The Appointments panel over a running local DIP: an MPAN's history shown, a party appointed and
// its appointment ended as registration would (routing's rows, stored), a change that cannot be
// made refused with the reason; the tracker opens it for a row's MPAN. And a participant's
// certificate exported for its own system.
#include "catalogue/catalogue.h"
#include "mainwindow/emulator_host.h"
#include "mainwindow/main_window.h"
#include "participants/appointments_widget.h"
#include "participants/participant_loader.h"
#include "participants/participants_widget.h"
#include "schema/schema_set.h"
#include "store/store.h"
#include "store_fixture.h"
#include "tracker/tracker_view.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>

using namespace dipwb;

namespace {
const QString MPAN = QStringLiteral("2000012345618");
constexpr qint64 kJan = 1767225600000; // 2026-01-01T00:00:00Z
constexpr qint64 kDay = 24 * 3600 * 1000;
} // namespace

class TestAppointments final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<ui::EmulatorHost> m_host;
    std::unique_ptr<ui::MainWindow> m_window;

    bool changeAndWait(ui::AppointmentsWidget *w, const QString &role, const QString &dipId, qint64 at, bool end)
    {
        QSignalSpy changed(w, &ui::AppointmentsWidget::changed);
        w->change(role, dipId, at, end);
        return changed.wait(10000) && changed.first().at(0).toBool();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testui::isolateSettings(m_dir.path(), QStringLiteral("appointments"));
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("workbench.db")), &issues);
        QVERIFY(m_store);
        const auto market = testui::exampleMarket();
        QVERIFY(!market.isEmpty());
        m_host = std::make_unique<ui::EmulatorHost>(dip::EmulatorConfig{}, m_store.get(), catalogue::Catalogue::builtIn(),
                                                    schema::SchemaSet::builtIn());
        m_host->seedParticipants(market);
        m_window = std::make_unique<ui::MainWindow>(m_host.get(), m_dir.filePath(QStringLiteral("ws")));
        QSignalSpy started(m_host.get(), &ui::EmulatorHost::started);
        m_host->start();
        QVERIFY(started.wait(10000));
    }

    void historyIsShownAndChangedAsRegistrationWould()
    {
        ui::AppointmentsWidget *w = m_window->appointments();
        QVERIFY(!w->showMpan(QStringLiteral("12345")));
        QVERIFY2(w->message()->text().contains(QStringLiteral("13 digits")), qPrintable(w->message()->text()));
        QVERIFY(w->showMpan(MPAN));
        QCOMPARE(w->history()->topLevelItemCount(), 0);
        QVERIFY(w->message()->text().contains(QStringLiteral("Nobody is appointed")));

        QVERIFY(changeAndWait(w, QStringLiteral("SUP"), QStringLiteral("2300000185"), kJan, false));
        QCOMPARE(w->history()->topLevelItemCount(), 1);
        QCOMPARE(w->history()->topLevelItem(0)->text(3), QStringLiteral("open"));
        QCOMPARE(w->history()->topLevelItem(0)->text(5), QStringLiteral("manual"));
        // A change of supplier ten days on closes the first row there.
        QVERIFY(changeAndWait(w, QStringLiteral("SUP"), QStringLiteral("2300000186"), kJan + 10 * kDay, false));
        QCOMPARE(w->history()->topLevelItemCount(), 2);
        QCOMPARE(w->history()->topLevelItem(0)->text(3), QStringLiteral("2026-01-11 00:00:00"));
        QVERIFY(w->history()->topLevelItem(1)->text(1).startsWith(QStringLiteral("2300000186")));
        // Ended on the 20th.
        QVERIFY(changeAndWait(w, QStringLiteral("SUP"), QStringLiteral("2300000186"), kJan + 19 * kDay, true));
        QCOMPARE(w->history()->topLevelItem(1)->text(3), QStringLiteral("2026-01-20 00:00:00"));
        // The stored rows are routing's: who holds SUP on the 15th.
        const auto rows = m_store->appointmentsOf(MPAN);
        QCOMPARE(rows.size(), qsizetype(2));
        QCOMPARE(rows.at(1).dipId, QStringLiteral("2300000186"));
        QCOMPARE(*rows.at(1).toMs, kJan + 19 * kDay);

        // Nothing to end: refused, with the reason, and nothing changed.
        QVERIFY(!changeAndWait(w, QStringLiteral("MSS"), QStringLiteral("1300000001"), kJan, true));
        QVERIFY2(w->message()->text().contains(QStringLiteral("holds no MSS appointment")), qPrintable(w->message()->text()));
        QCOMPARE(m_store->appointmentsOf(MPAN).size(), qsizetype(2));
    }

    // Each change is one undo step: undo puts the role's rows back as they were (the same rows,
    // ids and all), redo makes the change again, and an undo over a history that changed since
    // is refused with the reason instead of overwriting that change.
    void changesAreUndoneAndRedone()
    {
        const QString mpan = QStringLiteral("2000012345627");
        const QString sup = QStringLiteral("SUP");
        ui::AppointmentsWidget *w = m_window->appointments();
        QUndoStack *undo = w->undoStack();
        undo->clear();
        QVERIFY(w->showMpan(mpan));
        QVERIFY(changeAndWait(w, sup, QStringLiteral("2300000185"), kJan, false));
        QVERIFY(changeAndWait(w, sup, QStringLiteral("2300000186"), kJan + 10 * kDay, false));
        const QList<store::AppointmentRecord> both = m_store->appointmentsOf(mpan);
        QCOMPARE(both.size(), qsizetype(2));
        QCOMPARE(undo->count(), 2);
        QVERIFY2(undo->undoText().contains(QStringLiteral("2300000186")), qPrintable(undo->undoText()));
        // Re-stating what is already so changes nothing, so there is nothing to undo for it.
        QVERIFY(changeAndWait(w, sup, QStringLiteral("2300000186"), kJan + 10 * kDay, false));
        QCOMPARE(undo->count(), 2);

        auto step = [&](bool back) {
            QSignalSpy changed(w, &ui::AppointmentsWidget::changed);
            back ? undo->undo() : undo->redo();
            return changed.wait(10000) && changed.first().at(0).toBool();
        };
        QVERIFY(step(true));
        auto rows = m_store->appointmentsOf(mpan);
        QCOMPARE(rows.size(), qsizetype(1));
        QCOMPARE(rows.at(0).dipId, QStringLiteral("2300000185"));
        QVERIFY(!rows.at(0).toMs); // open again, as before the change of supplier
        QCOMPARE(w->history()->topLevelItemCount(), 1);
        QVERIFY(step(true));
        QVERIFY(m_store->appointmentsOf(mpan).isEmpty());
        QVERIFY(!undo->canUndo());
        QVERIFY(step(false));
        QVERIFY(step(false));
        QCOMPARE(m_store->appointmentsOf(mpan), both);

        // The keyboard: Ctrl+Z in the panel.
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->activateWindow();
        w->history()->setFocus();
        {
            QSignalSpy changed(w, &ui::AppointmentsWidget::changed);
            QTest::keyClick(w->history(), Qt::Key_Z, Qt::ControlModifier);
            QVERIFY(changed.wait(10000));
        }
        QCOMPARE(m_store->appointmentsOf(mpan).size(), qsizetype(1));

        // Something else changes the history (here the host, as a publication would): the redo
        // that would overwrite it is refused, the change stays, and the stack starts afresh.
        {
            QSignalSpy stored(m_host.get(), &ui::EmulatorHost::appointmentsChanged);
            m_host->appoint(mpan, sup, QStringLiteral("2300000186"), kJan + 5 * kDay);
            QVERIFY(stored.wait(10000));
        }
        const QList<store::AppointmentRecord> external = m_store->appointmentsOf(mpan);
        QCOMPARE(external.size(), qsizetype(2));
        QVERIFY(!step(false));
        QVERIFY2(w->message()->text().contains(QStringLiteral("has changed since")), qPrintable(w->message()->text()));
        QCOMPARE(m_store->appointmentsOf(mpan), external);
        QCOMPARE(undo->count(), 0);
    }

    void theTrackerOpensItForARowsMpan()
    {
        ui::AppointmentsWidget *w = m_window->appointments();
        w->showMpan(QStringLiteral("1012345678904"));
        emit m_window->tracker()->appointmentsRequested(MPAN);
        QCOMPARE(w->mpan(), MPAN);
        QCOMPARE(w->history()->topLevelItemCount(), 2);
    }

    void certificatesAreExportedForTheParticipantsOwnSystem()
    {
        const QString out = m_dir.filePath(QStringLiteral("export"));
        QVERIFY(QDir().mkpath(out));
        QString error;
        QVERIFY(!m_window->participants()->exportCertificate(QStringLiteral("x/y"), out, &error));
        QVERIFY2(error.contains(QStringLiteral("not a DIP id")), qPrintable(error));
        QVERIFY2(m_window->participants()->exportCertificate(QStringLiteral("1300000001"), out, &error), qPrintable(error));
        for (const char *name : {"cert.pem", "key.pem", "bundle.pfx", "api-key", "ca-cert.pem"})
            QVERIFY2(QFile::exists(out + QStringLiteral("/1300000001/") + QLatin1String(name)), name);
        QCOMPARE(QFile::permissions(out + QStringLiteral("/1300000001/key.pem")) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
        const auto certs = QSslCertificate::fromPath(out + QStringLiteral("/1300000001/cert.pem"));
        QCOMPARE(certs.size(), 1);
        QCOMPARE(certs.first().subjectInfo(QSslCertificate::CommonName).value(0), QStringLiteral("1300000001"));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_host.reset();
    }
};

QTEST_MAIN(TestAppointments)
#include "test_appointments.moc"

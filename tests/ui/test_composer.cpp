// SPDX-License-Identifier: GPL-3.0-or-later
// The composer against a real emulator (in process, loopback): the form edits the JSON as one
// undoable change and marks the field the schema check complains about; templates are saved
// and started from; every send stays in a history that survives a restart; a signed send
// carries the sender's X-DIP-* signature.
#include "catalogue/catalogue.h"
#include "composer/composer_widget.h"
#include "composer/payload_form.h"
#include "mainwindow/emulator_host.h"
#include "participants/participant_loader.h"
#include "request_signer.h"
#include "schema/schema_set.h"
#include "store/store.h"
#include "store_fixture.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace dipwb;

class TestComposer final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<ui::EmulatorHost> m_host;
    QList<participants::Participant> m_market;

    QString workspace() const { return m_dir.filePath(QStringLiteral("ws")); }

    void compose(ui::ComposerWidget &c)
    {
        c.setParticipants(m_market);
        c.setTarget(m_host->baseUrl(), m_host->config().environment);
        c.selectChannel(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"));
        c.selectSender(QStringLiteral("1100000001"));
        c.setPrimaryRecipients(QStringLiteral("1300000001"));
    }

    int sendAndWait(ui::ComposerWidget &c)
    {
        QSignalSpy answered(&c, &ui::ComposerWidget::answered);
        QTest::mouseClick(c.sendButton(), Qt::LeftButton);
        if (!answered.wait(10000))
            return -1;
        return answered.first().at(0).toInt();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("emulator.db")), &issues);
        QVERIFY(m_store);
        m_market = testui::exampleMarket();
        QVERIFY(!m_market.isEmpty());
        m_host = std::make_unique<ui::EmulatorHost>(dip::EmulatorConfig{}, m_store.get(), catalogue::Catalogue::builtIn(),
                                                    schema::SchemaSet::builtIn());
        m_host->seedParticipants(m_market);
        QSignalSpy started(m_host.get(), &ui::EmulatorHost::started);
        m_host->start();
        QVERIFY(started.wait(10000));
    }

    void formEditsAreUndoableAndProblemsMarkedAtTheField()
    {
        ui::ComposerWidget c(catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        c.setWorkspace(workspace());
        compose(c);
        QVERIFY2(c.checkLabel()->text().contains(QStringLiteral("Valid against")), qPrintable(c.checkLabel()->text()));
        const QString before = c.editor()->toPlainText();
        c.editTabs()->setCurrentIndex(1);
        const QString path = QStringLiteral("[0].payload.CommonBlock.S1.senderTimestamp");
        QTreeWidgetItem *item = c.form()->itemAt(path);
        QVERIFY(item);
        item->setText(1, QStringLiteral("2026-12-01"));
        QVERIFY(c.editor()->toPlainText().contains(QStringLiteral("\"senderTimestamp\": \"2026-12-01\"")));
        QTRY_VERIFY(c.checkLabel()->text().contains(QStringLiteral("senderTimestamp")));
        item = c.form()->itemAt(path);
        QVERIFY(item);
        QVERIFY2(!item->toolTip(0).isEmpty() && item->background(1) != QBrush(), qPrintable(item->toolTip(0)));
        c.editor()->undo();
        QCOMPARE(c.editor()->toPlainText(), before);
        QTRY_VERIFY(c.checkLabel()->text().contains(QStringLiteral("Valid against")));
        QVERIFY(c.form()->itemAt(path)->toolTip(0).isEmpty());
        QCOMPARE(ui::formPathPointer(QStringLiteral("[0].payload.A[2].b/c")), QStringLiteral("/0/payload/A/2/b~1c"));
    }

    void templatesAreSavedAndStartedFrom()
    {
        ui::ComposerWidget c(catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        c.setWorkspace(workspace());
        compose(c);
        const QString body = c.editor()->toPlainText();
        QVERIFY(c.saveTemplate(QStringLiteral("MS request")));
        QVERIFY(c.templateNames().contains(QStringLiteral("MS request")));
        QVERIFY(!c.saveTemplate(QStringLiteral("../outside")));
        QVERIFY2(c.statusLabel()->text().contains(QStringLiteral("cannot name a template")), qPrintable(c.statusLabel()->text()));
        c.selectChannel(QStringLiteral("IF-031"), QStringLiteral("[MSApp]"));
        QVERIFY(c.editor()->toPlainText() != body);
        QVERIFY(c.loadTemplate(QStringLiteral("MS request")));
        QCOMPARE(c.editor()->toPlainText(), body);
        QFile broken(workspace() + QStringLiteral("/composer/templates/broken.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly) && broken.write("{\"body\": 3}") > 0);
        broken.close();
        QVERIFY(!c.loadTemplate(QStringLiteral("broken")));
        QVERIFY2(c.statusLabel()->text().contains(QStringLiteral("broken.json is not a composer template")), qPrintable(c.statusLabel()->text()));
    }

    void sendsStayInTheHistoryAcrossRestarts()
    {
        QString sentBody;
        {
            ui::ComposerWidget c(catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
            c.setWorkspace(workspace());
            compose(c);
            sentBody = c.editor()->toPlainText();
            QCOMPARE(sendAndWait(c), 201);
            QCOMPARE(c.historyView()->topLevelItemCount(), 1);
            QCOMPARE(c.historyView()->topLevelItem(0)->text(4), QStringLiteral("201"));
            QVERIFY(c.historyView()->topLevelItem(0)->text(5).startsWith(QStringLiteral("MSG0000")));
        }
        QFile file(workspace() + QStringLiteral("/composer/history.jsonl"));
        QVERIFY(file.open(QIODevice::Append) && file.write("not json\n") > 0);
        file.close();
        ui::ComposerWidget again(catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        again.setWorkspace(workspace());
        compose(again);
        QCOMPARE(again.history().entries().size(), qsizetype(1));
        QVERIFY2(again.statusLabel()->text().contains(QStringLiteral("could not be read")) || again.statusLabel()->text().contains(QStringLiteral("local DIP")),
                 qPrintable(again.statusLabel()->text()));
        again.selectChannel(QStringLiteral("IF-031"), QStringLiteral("[MSApp]"));
        QTreeWidgetItem *row = again.historyView()->topLevelItem(0);
        QVERIFY(row);
        emit again.historyView()->itemActivated(row, 0);
        QCOMPARE(again.editor()->toPlainText(), sentBody);
        QVERIFY(again.responseView()->toPlainText().contains(QStringLiteral("MSG0000")));
    }

    void signedSendCarriesTheSendersSignature()
    {
        const QString signedWs = m_dir.filePath(QStringLiteral("ws-signed"));
        testsupport::RequestSigner signer;
        QString error;
        QVERIFY2(signer.init(signedWs, &error), qPrintable(error));
        QVERIFY(signer.identity(QStringLiteral("1100000001")));
        ui::ComposerWidget c(catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        c.setWorkspace(signedWs);
        compose(c);
        c.setSigned(true);
        const qint64 before = m_store->lastRequestId();
        QCOMPARE(sendAndWait(c), 201);
        QVERIFY2(c.statusLabel()->text().contains(QStringLiteral("signed as 1100000001")), qPrintable(c.statusLabel()->text()));
        m_store->flush();
        const auto requests = m_store->requests(before, 10);
        QCOMPARE(requests.size(), qsizetype(1));
        QVERIFY2(requests.first().headers.contains("X-DIP-Signature:"), requests.first().headers.constData());

        // Without a certificate for the sender it says so, and sends unsigned.
        ui::ComposerWidget plain(catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        plain.setWorkspace(workspace());
        compose(plain);
        plain.setSigned(true);
        QCOMPARE(sendAndWait(plain), 201);
        QVERIFY2(plain.statusLabel()->text().contains(QStringLiteral("unsigned: the workspace has no test CA")), qPrintable(plain.statusLabel()->text()));
    }

    void cleanupTestCase()
    {
        m_host.reset();
    }
};

QTEST_MAIN(TestComposer)
#include "test_composer.moc"

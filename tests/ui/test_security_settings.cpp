// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop DIP's security settings: their defaults, the dialog, and what applying them does to
// a running local DIP (restarted with signature checks, HTTPS), seen through the composer's sends.
#include "catalogue/catalogue.h"
#include "composer/composer_widget.h"
#include "mainwindow/emulator_host.h"
#include "mainwindow/main_window.h"
#include "mainwindow/security_settings.h"
#include "participants/participant_loader.h"
#include "webhook_receiver.h"
#include "schema/schema_set.h"
#include "security/test_ca.h"
#include "store/store.h"
#include "store_fixture.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;

namespace {
// The S1.senderUniqueReference of a composed body.
QByteArray referenceIn(const QString &body)
{
    static const QRegularExpression re(QStringLiteral("\"senderUniqueReference\": \"([^\"]+)\""));
    return re.match(body).captured(1).toUtf8();
}
} // namespace

class TestSecuritySettings final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;

    int send(ui::ComposerWidget *c)
    {
        QSignalSpy answered(c, &ui::ComposerWidget::answered);
        c->send();
        if (!answered.wait(10000))
            return -1;
        return answered.first().at(0).toInt();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testui::isolateSettings(m_dir.path(), QStringLiteral("security-settings"));
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("workbench.db")), &issues);
        QVERIFY(m_store);
    }

    void defaultsCheckWithoutRefusingAndSignWebhooks()
    {
        const dip::SecurityChoices c = ui::loadSecurityChoices();
        QCOMPARE(c.signatures, dip::SignatureMode::Warn);
        QVERIFY(c.signWebhooks);
        QVERIFY(!c.tls && !c.mutualTls && !c.apiKeys);
        dip::SecurityChoices strict = c;
        strict.signatures = dip::SignatureMode::Require;
        strict.tls = strict.mutualTls = true;
        ui::saveSecurityChoices(strict);
        QCOMPARE(ui::loadSecurityChoices(), strict);
        ui::saveSecurityChoices(c);
    }

    void dialogKeepsMutualTlsUnderTls()
    {
        dip::SecurityChoices c;
        c.tls = c.mutualTls = true;
        ui::SecurityDialog d(c);
        QVERIFY(d.mutualTls()->isEnabled() && d.mutualTls()->isChecked());
        d.tls()->setChecked(false);
        QVERIFY(!d.mutualTls()->isEnabled() && !d.mutualTls()->isChecked());
        d.signatures()->setCurrentIndex(d.signatures()->findData(int(dip::SignatureMode::Off)));
        QCOMPARE(d.choices().signatures, dip::SignatureMode::Off);
        QVERIFY(!d.choices().tls && !d.choices().mutualTls);
    }

    void applyingRestartsTheDipWithTheChecks()
    {
        const QString ws = m_dir.filePath(QStringLiteral("ws"));
        auto market = testui::exampleMarket();
        QVERIFY(!market.isEmpty());
        testsupport::WebhookReceiver receiver;
        QVERIFY(receiver.start());
        for (auto &p : market)
            if (p.dipId == QLatin1String("1300000001"))
                p.webhooks.insert(QStringLiteral("IF-033"), receiver.url(QStringLiteral("/mss")));
        dip::EmulatorConfig config;
        config.port = 0;
        ui::EmulatorHost host(config, m_store.get(), catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        host.seedParticipants(market);
        ui::MainWindow window(&host, ws);
        QSignalSpy started(&host, &ui::EmulatorHost::started);
        host.start();
        QVERIFY(started.wait(10000));
        QVERIFY2(window.statusText().contains(QStringLiteral("signatures not checked")), qPrintable(window.statusText()));

        // Applies choices, waits for the restart and points the composer at the DIP again.
        QString error;
        const auto restartWith = [&](const dip::SecurityChoices &choices) {
            if (!window.applySecurity(choices, true, &error) || !started.wait(10000))
                return false;
            window.composer()->setTarget(host.baseUrl(), host.config().environment);
            return true;
        };

        // Require signatures: the DIP restarts, and an unsigned send is refused.
        dip::SecurityChoices strict;
        strict.signatures = dip::SignatureMode::Require;
        QVERIFY2(restartWith(strict), qPrintable(error));
        QTRY_VERIFY(window.statusText().contains(QStringLiteral("signatures require")));
        ui::ComposerWidget *c = window.composer();
        c->selectChannel(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"));
        c->selectSender(QStringLiteral("1100000001"));
        c->setPrimaryRecipients(QStringLiteral("1300000001"));
        c->setSigned(false);
        QCOMPARE(send(c), 401);
        QVERIFY2(c->responseView()->toPlainText().contains(QStringLiteral("missing-header")), qPrintable(c->responseView()->toPlainText()));
        // Signed with the sender's certificate from the workspace CA (created by applying): accepted.
        security::WorkspaceCa ca(ws + QStringLiteral("/certificates"));
        QVERIFY(ca.exists());
        QVERIFY(ca.issue(QStringLiteral("1100000001"), &error));
        c->setSigned(true);
        QCOMPARE(send(c), 201);
        // The DIP signs its webhook call (the default); after a restart without, it does not.
        QTRY_COMPARE_WITH_TIMEOUT(receiver.receivedOn("/mss").size(), 1, 10000);
        QVERIFY(!http::headerValue(receiver.receivedOn("/mss").last().headers, "X-DIP-Signature").isEmpty());
        dip::SecurityChoices unsignedCalls = strict;
        unsignedCalls.signWebhooks = false;
        QVERIFY2(restartWith(unsignedCalls), qPrintable(error));
        QTRY_VERIFY(window.statusText().contains(QStringLiteral("webhook calls unsigned")));
        c->newFromTemplate(); // a fresh sender reference, to find its copy by
        QCOMPARE(send(c), 201);
        // (A copy delivered just before the restart may come again: delivery is at least once.)
        const QByteArray reference = referenceIn(c->editor()->toPlainText());
        QVERIFY(!reference.isEmpty());
        const auto copyOf = [&]() -> std::optional<testsupport::WebhookReceiver::Received> {
            for (const auto &r : receiver.receivedOn("/mss"))
                if (r.body.contains(reference))
                    return r;
            return std::nullopt;
        };
        QTRY_VERIFY_WITH_TIMEOUT(copyOf().has_value(), 10000);
        QVERIFY(http::headerValue(copyOf()->headers, "X-DIP-Signature").isEmpty());

        // HTTPS: the DIP comes back on an https URL, and the composer trusts the workspace CA.
        dip::SecurityChoices https = strict;
        https.tls = true;
        QVERIFY2(restartWith(https), qPrintable(error));
        QVERIFY(host.baseUrl().startsWith(QStringLiteral("https://")));
        QCOMPARE(send(c), 201);

        // A choice that cannot be applied changes nothing and says why.
        dip::SecurityChoices keys = https;
        keys.apiKeys = true;
        QVERIFY(QFile::remove(ca.dir() + QStringLiteral("/participants/1100000001/api-key")));
        const QString before = window.statusText();
        QVERIFY(!window.applySecurity(keys, true, &error));
        QVERIFY2(error.contains(QStringLiteral("API keys")), qPrintable(error));
        QCOMPARE(window.statusText(), before);
        QVERIFY(host.baseUrl().startsWith(QStringLiteral("https://")));
    }
};

QTEST_MAIN(TestSecuritySettings)
#include "test_security_settings.moc"

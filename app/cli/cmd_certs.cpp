// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "common/workspace.h"
#include "dip/emulator_config.h"
#include "security/test_ca.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSslCertificate>

namespace dipwb::cli {

namespace {

void printCertificate(const QString &label, const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        out() << label << ": (missing) " << path << "\n";
        return;
    }
    const QSslCertificate c(f.readAll());
    out() << label << ": CN=" << c.subjectInfo(QSslCertificate::CommonName).value(0) << ", valid "
          << c.effectiveDate().toString(Qt::ISODate) << " to " << c.expiryDate().toString(Qt::ISODate) << ", "
          << path << "\n";
}

} // namespace

int certsCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The workspace's test certificate authority.\n"
        "  init            create the CA and the emulator's server and signing certificates\n"
        "  issue DIPID...  issue a participant certificate (PEM, PFX bundle, API key)\n"
        "  list            show the CA and every issued certificate\n"
        "For testing only: these certificates are not trusted anywhere but in this workspace."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("init, issue or list"));
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("force"), QStringLiteral("init: make a new CA even if one exists (earlier certificates stop verifying).")},
        {QStringLiteral("dip-id"), QStringLiteral("init: the emulator's own DIP id, the signing certificate's CN (default 0000000000)."), QStringLiteral("id")},
        {QStringLiteral("days"), QStringLiteral("issue: validity in days (default 365)."), QStringLiteral("n"), QStringLiteral("365")},
        {QStringLiteral("bits"), QStringLiteral("issue: RSA key size, at least 2048 (default 2048)."), QStringLiteral("n"), QStringLiteral("2048")},
        {QStringLiteral("dns"), QStringLiteral("issue: a subjectAltName DNS entry besides localhost (repeatable)."), QStringLiteral("name")},
        {QStringLiteral("pfx-password"), QStringLiteral("issue: password of bundle.pfx (default dipwb)."), QStringLiteral("pw"), QStringLiteral("dipwb")},
    });
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb certs"));
    if (!p.parse(full)) {
        err() << "dipwb certs: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    QStringList pos = p.positionalArguments();
    if (pos.isEmpty()) {
        err() << "dipwb certs: name an action: init, issue or list\n";
        return 2;
    }
    const QString action = pos.takeFirst();
    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    QString error;
    if (!ws.ensure(&error)) {
        err() << "dipwb certs: workspace: " << error << "\n";
        return 1;
    }
    security::WorkspaceCa ca(ws.certificatesDir());

    if (action == QLatin1String("init")) {
        const QString dipId = p.isSet(QStringLiteral("dip-id")) ? p.value(QStringLiteral("dip-id")) : dip::EmulatorConfig{}.dipId;
        const bool existed = ca.exists();
        if (!ca.init(dipId, &error, p.isSet(QStringLiteral("force")))) {
            err() << "dipwb certs init: " << error << "\n";
            return 1;
        }
        out() << (existed && !p.isSet(QStringLiteral("force")) ? "The workspace CA already exists; kept it.\n" : "Created the workspace test CA.\n");
        printCertificate(QStringLiteral("CA"), ca.caCertPath());
        printCertificate(QStringLiteral("emulator server"), ca.serverCertPath());
        printCertificate(QStringLiteral("emulator signing"), ca.signingCertPath());
        out().flush();
        return 0;
    }
    if (action == QLatin1String("issue")) {
        if (pos.isEmpty()) {
            err() << "dipwb certs issue: name at least one DIP id\n";
            return 2;
        }
        security::WorkspaceCa::IssueOptions o;
        bool okDays = false, okBits = false;
        o.validityDays = p.value(QStringLiteral("days")).toInt(&okDays);
        o.keyBits = p.value(QStringLiteral("bits")).toInt(&okBits);
        if (!okDays || o.validityDays < 1 || !okBits || o.keyBits < 2048) {
            err() << "dipwb certs issue: --days must be positive and --bits at least 2048\n";
            return 2;
        }
        o.dnsNames << p.values(QStringLiteral("dns"));
        o.pfxPassword = p.value(QStringLiteral("pfx-password"));
        if (!ca.exists() && !ca.init(dip::EmulatorConfig{}.dipId, &error)) {
            err() << "dipwb certs issue: " << error << "\n";
            return 1;
        }
        for (const QString &id : pos) {
            if (!ca.issue(id, o, &error)) {
                err() << "dipwb certs issue: " << id << ": " << error << "\n";
                return 1;
            }
            out() << "Issued " << id << ": " << ca.participantCertPath(id) << ", " << ca.participantKeyPath(id) << ", "
                  << ca.participantPfxPath(id) << " (password " << o.pfxPassword << "), API key in "
                  << ca.participantApiKeyPath(id) << "\n";
        }
        out().flush();
        return 0;
    }
    if (action == QLatin1String("list")) {
        if (!ca.exists()) {
            out() << "No workspace CA in " << ca.dir() << " (run 'dipwb certs init')" << Qt::endl;
            return 0;
        }
        printCertificate(QStringLiteral("CA"), ca.caCertPath());
        printCertificate(QStringLiteral("emulator server"), ca.serverCertPath());
        printCertificate(QStringLiteral("emulator signing"), ca.signingCertPath());
        for (const QString &id : ca.issuedDipIds())
            printCertificate(id, ca.participantCertPath(id));
        out().flush();
        return 0;
    }
    err() << "dipwb certs: unknown action '" << action << "' (init, issue or list)\n";
    return 2;
}

} // namespace dipwb::cli

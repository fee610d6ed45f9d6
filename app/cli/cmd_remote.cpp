// SPDX-License-Identifier: GPL-3.0-or-later
// Working against a remote DIP: profiles, webhook registration and the publication receiver.
#include "commands.h"

#include "client_security.h"
#include "common/workspace.h"
#include "dip/dip_client.h"
#include "dip/publication_receiver.h"
#include "security/remote_profile.h"
#include "security/test_ca.h"
#include "security/verifier.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>

namespace dipwb::cli {

namespace {

bool parse(QCommandLineParser &p, const QString &name, const QStringList &args)
{
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb ") + name);
    if (!p.parse(full)) {
        err() << "dipwb " << name << ": " << p.errorText() << "\n";
        return false;
    }
    return true;
}

Workspace workspaceOf(const QCommandLineParser &p)
{
    return Workspace(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
}

QString absolute(const QString &path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}

} // namespace

int profileCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Remote DIP profiles (SIT, UIT or another emulator).\n"
        "  add NAME --url URL --as DIPID [--cert PEM --key PEM | --pfx FILE --pfx-password PW] [--ca PEM] [--api-key KEY]\n"
        "      without --cert/--pfx the workspace CA's certificate of DIPID is used (testing against a local emulator)\n"
        "  list"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("add or list"));
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("url"), QStringLiteral("Base URL of the DIP."), QStringLiteral("url")},
        {QStringLiteral("as"), QStringLiteral("The participant's DIP id."), QStringLiteral("dipId")},
        {QStringLiteral("cert"), QStringLiteral("PEM client certificate (also the signing certificate)."), QStringLiteral("file")},
        {QStringLiteral("key"), QStringLiteral("PEM private key of --cert."), QStringLiteral("file")},
        {QStringLiteral("pfx"), QStringLiteral("PFX bundle instead of --cert/--key."), QStringLiteral("file")},
        {QStringLiteral("pfx-password"), QStringLiteral("Password of --pfx."), QStringLiteral("pw")},
        {QStringLiteral("ca"), QStringLiteral("PEM CA certificates of the DIP (server and signatures)."), QStringLiteral("file")},
        {QStringLiteral("api-key"), QStringLiteral("X-API-Key the DIP issued."), QStringLiteral("key")},
    });
    if (!parse(p, QStringLiteral("profile"), args))
        return 2;
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    const Workspace ws = workspaceOf(p);
    const QString action = p.positionalArguments().value(0);
    QString error;
    if (action == QLatin1String("list")) {
        for (const QString &name : security::profileNames(ws.dir())) {
            const auto prof = security::loadProfile(ws.dir(), name, &error);
            out() << name << ": " << (prof ? prof->baseUrl.toString() + QStringLiteral(" as ") + prof->dipId : error) << "\n";
        }
        out().flush();
        return 0;
    }
    if (action != QLatin1String("add") || p.positionalArguments().size() != 2 || !p.isSet(QStringLiteral("url")) || !p.isSet(QStringLiteral("as"))) {
        err() << "dipwb profile: use 'add NAME --url URL --as DIPID ...' or 'list'\n";
        return 2;
    }
    security::RemoteProfile prof;
    prof.name = p.positionalArguments().at(1);
    prof.baseUrl = QUrl(p.value(QStringLiteral("url")));
    prof.dipId = p.value(QStringLiteral("as"));
    prof.certificateFile = absolute(p.value(QStringLiteral("cert")));
    prof.keyFile = absolute(p.value(QStringLiteral("key")));
    prof.pfxFile = absolute(p.value(QStringLiteral("pfx")));
    prof.pfxPassword = p.value(QStringLiteral("pfx-password"));
    prof.caFile = absolute(p.value(QStringLiteral("ca")));
    prof.apiKey = p.value(QStringLiteral("api-key"));
    const security::WorkspaceCa ca(ws.certificatesDir());
    if (prof.certificateFile.isEmpty() && prof.pfxFile.isEmpty()) {
        prof.certificateFile = ca.participantCertPath(prof.dipId);
        prof.keyFile = ca.participantKeyPath(prof.dipId);
        if (prof.caFile.isEmpty())
            prof.caFile = ca.caCertPath();
    }
    if (!prof.baseUrl.isValid() || prof.baseUrl.host().isEmpty()) {
        err() << "dipwb profile add: --url is not an absolute URL\n";
        return 2;
    }
    if (!security::loadCredentials(prof, &error) || !security::saveProfile(ws.dir(), prof, &error)) {
        err() << "dipwb profile add: " << error << "\n";
        return 1;
    }
    out() << "Profile " << prof.name << ": " << prof.baseUrl.toString() << " as " << prof.dipId << Qt::endl;
    return 0;
}

int pubconfigCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Registers (or with --delete removes) the webhook on which the profile's DIP id receives a channel's publications."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("channel"), QStringLiteral("IF-033, REP-002A..."));
    p.addOptions(clientSecurityOptions());
    p.addOptions({{QStringLiteral("callback"), QStringLiteral("The webhook URL."), QStringLiteral("url")},
                  {QStringLiteral("delete"), QStringLiteral("Remove the registration.")},
                  {QStringLiteral("url"), QStringLiteral("Base URL of the DIP when no --profile is given."), QStringLiteral("url")}});
    if (!parse(p, QStringLiteral("pubconfig"), args))
        return 2;
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1 || (!p.isSet(QStringLiteral("callback")) && !p.isSet(QStringLiteral("delete")))) {
        err() << "dipwb pubconfig: name one channel and give --callback URL (or --delete)\n";
        return 2;
    }
    const Workspace ws = workspaceOf(p);
    QString error;
    std::optional<security::RemoteProfile> prof;
    if (p.isSet(QStringLiteral("profile")) && !(prof = security::loadProfile(ws.dir(), p.value(QStringLiteral("profile")), &error))) {
        err() << "dipwb pubconfig: " << error << "\n";
        return 1;
    }
    const QString dipId = prof ? prof->dipId : p.value(QStringLiteral("as"));
    ClientSecurity security;
    if (dipId.isEmpty() || !clientSecurity(p, dipId, &security, &error)) {
        err() << "dipwb pubconfig: " << (dipId.isEmpty() ? QStringLiteral("give --profile or --as") : error) << "\n";
        return 1;
    }
    const QUrl base = prof ? prof->baseUrl : QUrl(p.value(QStringLiteral("url")));
    dip::DipClient client(base);
    if (security.tls)
        client.setSslConfiguration(*security.tls);
    client.setRequestDecorator([&security](http::ClientRequest &r) { security.decorate(r); });
    const QByteArray body = p.isSet(QStringLiteral("delete")) ? QByteArray()
                                                              : QByteArray(R"({"callbackURL":")") + p.value(QStringLiteral("callback")).toUtf8() + "\"}";
    QEventLoop loop;
    int rc = 1;
    client.call(p.isSet(QStringLiteral("delete")) ? "DELETE" : "POST",
                QStringLiteral("/dip-channel/%1/pubconfig/%2").arg(p.positionalArguments().first().toUpper(), dipId), body,
                [&](const http::ClientResponse &r) {
                    if (r.status == 0)
                        err() << "dipwb pubconfig: no answer from " << base.toString() << ": " << r.error << "\n";
                    else
                        out() << "HTTP " << r.status << "\n" << QString::fromUtf8(r.body) << Qt::endl;
                    rc = r.status >= 200 && r.status < 300 ? 0 : (r.status == 0 ? 1 : 3);
                    loop.quit();
                });
    loop.exec();
    return rc;
}

int receiveCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Receives a DIP's publications and status messages on a webhook, verifies their signatures\n"
        "with the profile's CA and stores them in the workspace, until interrupted."));
    p.addHelpOption();
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("profile"), QStringLiteral("The remote DIP profile whose CA vouches for the DIP's signatures."), QStringLiteral("name")},
        {QStringLiteral("bind"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("address"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"), QStringLiteral("Port; 0 picks a free one (default 7080)."), QStringLiteral("port"), QStringLiteral("7080")},
        {QStringLiteral("tls"), QStringLiteral("Serve HTTPS with the profile's certificate.")},
        {QStringLiteral("mtls"), QStringLiteral("With --tls: require the DIP's client certificate, issued by the profile's CA.")},
    });
    if (!parse(p, QStringLiteral("receive"), args))
        return 2;
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    const Workspace ws = workspaceOf(p);
    QString error;
    const auto prof = security::loadProfile(ws.dir(), p.value(QStringLiteral("profile")), &error);
    const auto creds = prof ? security::loadCredentials(*prof, &error) : std::nullopt;
    auto verifier = std::make_shared<security::SignatureVerifier>();
    if (!creds || !verifier->addTrustedCaPem(creds->caPem, &error) || !ws.ensure(&error)) {
        err() << "dipwb receive: " << (error.isEmpty() ? QStringLiteral("the profile names no CA (--ca)") : error) << "\n";
        return 1;
    }
    Issues issues;
    auto store = store::Store::open(ws.databasePath(), &issues);
    if (!store) {
        for (const Issue &i : issues)
            err() << "dipwb receive: " << i.toString() << "\n";
        return 1;
    }
    dip::PublicationReceiver receiver(store.get(), verifier);
    if (p.isSet(QStringLiteral("tls"))) {
        // The profile's certificate is the participant's own: SAN localhost and 127.0.0.1 when the
        // workspace CA issued it, so it serves the receiver too.
        QSslConfiguration tls = creds->tls;
        tls.setPeerVerifyMode(p.isSet(QStringLiteral("mtls")) ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
        receiver.setTls(tls);
    }
    QHostAddress address;
    if (!address.setAddress(p.value(QStringLiteral("bind"))) || !receiver.listen(address, quint16(p.value(QStringLiteral("port")).toUInt()), &error)) {
        err() << "dipwb receive: cannot listen: " << error << "\n";
        return 1;
    }
    out() << "Receiving publications on " << (p.isSet(QStringLiteral("tls")) ? "https" : "http") << "://" << address.toString() << ":" << receiver.port() << " for " << prof->dipId
          << " (signatures checked against " << prof->caFile << ", workspace " << ws.dir() << ")" << Qt::endl;
    installQuitOnSignals();
    const int rc = QCoreApplication::exec();
    store->flush();
    out() << "Stopped after " << receiver.received() << " requests" << Qt::endl;
    return rc;
}

} // namespace dipwb::cli

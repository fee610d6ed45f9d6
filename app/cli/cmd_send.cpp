// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "client_security.h"
#include "common/json_util.h"
#include "dip/dip_client.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QRegularExpression>

namespace dipwb::cli {

int send(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Sends a message file (a JSON array of {\"payload\":...}, or one message) to a DIP and prints its answer."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The message file; - reads standard input."));
    p.addOptions({
        {QStringLiteral("channel"), QStringLiteral("Channel, e.g. IF-033 (default: S0.interfaceID of the first message)."), QStringLiteral("id")},
        {QStringLiteral("url"), QStringLiteral("Base URL of the DIP (default http://127.0.0.1:7070)."), QStringLiteral("url"), QStringLiteral("http://127.0.0.1:7070")},
        {QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the answer (default 30)."), QStringLiteral("s"), QStringLiteral("30")},
    });
    p.addOptions(clientSecurityOptions());
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb send"));
    if (!p.parse(full)) {
        err() << "dipwb send: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1) {
        err() << "dipwb send: name one message file (or - for standard input)\n";
        return 2;
    }
    const QString path = p.positionalArguments().first();
    QFile f;
    const bool opened = path == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly) : (f.setFileName(path), f.open(QIODevice::ReadOnly));
    if (!opened) {
        err() << "dipwb send: cannot read " << path << ": " << f.errorString() << "\n";
        return 1;
    }
    QByteArray body = f.readAll();

    // A single message object is wrapped into the array the DIP expects; the channel defaults to S0.
    OJson doc = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
    QString channel = p.value(QStringLiteral("channel")).toUpper();
    QString sender;
    if (!doc.is_discarded()) {
        if (doc.is_object()) {
            if (!doc.contains("payload"))
                doc = OJson{{"payload", doc}};
            doc = OJson::array({doc});
            body = qb(doc.dump());
        }
        if (channel.isEmpty() && doc.is_array() && !doc.empty()) {
            const OJson &first = doc.front();
            if (first.is_object() && first.contains("payload") && first["payload"].contains("CommonBlock")
                && first["payload"]["CommonBlock"].contains("S0"))
                channel = stringAt(first["payload"]["CommonBlock"]["S0"], "interfaceID");
        }
        if (doc.is_array() && !doc.empty() && doc.front().is_object() && doc.front().contains("payload")
            && doc.front()["payload"].contains("CommonBlock") && doc.front()["payload"]["CommonBlock"].contains("S1"))
            sender = stringAt(doc.front()["payload"]["CommonBlock"]["S1"], "senderDIPID");
    }
    static const QRegularExpression channelShape(QStringLiteral("^(IF|REP)-\\d{3}[AB]?$"));
    if (channel.isEmpty()) {
        err() << "dipwb send: " << path << ": no --channel given and no S0.interfaceID found in the first message\n";
        return 2;
    }
    if (!channelShape.match(channel).hasMatch()) {
        err() << "dipwb send: --channel '" << channel << "' is not a channel id like IF-033\n";
        return 2;
    }
    ClientSecurity security;
    QString error;
    if (!clientSecurity(p, sender, &security, &error)) {
        err() << "dipwb send: " << error << "\n";
        return 1;
    }
    const QUrl base = security.baseUrl.isValid() && !p.isSet(QStringLiteral("url")) ? security.baseUrl : QUrl(p.value(QStringLiteral("url")));
    if (!base.isValid() || base.host().isEmpty()) {
        err() << "dipwb send: --url '" << p.value(QStringLiteral("url")) << "' is not an absolute URL\n";
        return 2;
    }
    if (!security.note.isEmpty())
        err() << "dipwb send: " << security.note << "\n";

    dip::DipClient client(base);
    client.setTimeoutMs(p.value(QStringLiteral("timeout")).toInt() * 1000);
    if (security.tls)
        client.setSslConfiguration(*security.tls);
    client.setRequestDecorator([&security](http::ClientRequest &r) { security.decorate(r); });
    QEventLoop loop;
    int rc = 1;
    client.send(channel, body, [&](const http::ClientResponse &r) {
        if (r.status == 0) {
            err() << "dipwb send: no answer from " << base.toString() << ": " << r.error << "\n";
            rc = 1;
        } else {
            out() << "HTTP " << r.status << "\n" << QString::fromUtf8(r.body) << Qt::endl;
            rc = r.status >= 200 && r.status < 300 ? 0 : 3;
        }
        loop.quit();
    });
    loop.exec();
    return rc;
}

} // namespace dipwb::cli

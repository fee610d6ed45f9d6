// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "client_security.h"
#include "common/json_util.h"
#include "http/http_client.h"
#include "security/signature.h"

#include <QCommandLineParser>
#include <QFile>

namespace dipwb::cli {

int sign(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Prints the X-DIP-* signature headers (and X-API-Key) for a request body, one 'Name: value' a line,\n"
        "so curl or another client can send it: dipwb sign msg.json --url URL > h.txt; curl -H @h.txt --data-binary @msg.json URL.\n"
        "The body is signed byte for byte as the file holds it."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The exact request body; - reads standard input."));
    QList<QCommandLineOption> options = clientSecurityOptions();
    options.removeIf([](const QCommandLineOption &o) { return o.names().contains(QStringLiteral("unsigned")); });
    options << QCommandLineOption(QStringLiteral("url"), QStringLiteral("The full URL the request goes to (required)."), QStringLiteral("url"))
            << QCommandLineOption(QStringLiteral("method"), QStringLiteral("HTTP method (default POST)."), QStringLiteral("m"), QStringLiteral("POST"));
    p.addOptions(options);
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb sign"));
    if (!p.parse(full)) {
        err() << "dipwb sign: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1 || !p.isSet(QStringLiteral("url"))) {
        err() << "dipwb sign: name one body file and give --url\n";
        return 2;
    }
    const QString path = p.positionalArguments().first();
    QFile f;
    const bool opened = path == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly) : (f.setFileName(path), f.open(QIODevice::ReadOnly));
    if (!opened) {
        err() << "dipwb sign: cannot read " << path << ": " << f.errorString() << "\n";
        return 1;
    }
    http::ClientRequest rq;
    rq.body = f.readAll();
    rq.method = p.value(QStringLiteral("method")).toUpper().toLatin1();
    rq.url = QUrl(p.value(QStringLiteral("url")));
    if (!rq.url.isValid() || rq.url.host().isEmpty()) {
        err() << "dipwb sign: --url '" << p.value(QStringLiteral("url")) << "' is not an absolute URL\n";
        return 2;
    }

    QString sender;
    const OJson doc = OJson::parse(rq.body.constBegin(), rq.body.constEnd(), nullptr, false);
    const OJson &first = doc.is_array() && !doc.empty() ? doc.front() : doc;
    if (first.is_object() && first.contains("payload") && first["payload"].contains("CommonBlock") && first["payload"]["CommonBlock"].contains("S1"))
        sender = stringAt(first["payload"]["CommonBlock"]["S1"], "senderDIPID");
    ClientSecurity s;
    QString error;
    if (!clientSecurity(p, sender, &s, &error)) {
        err() << "dipwb sign: " << error << "\n";
        return 1;
    }
    if (!s.identity) {
        err() << "dipwb sign: " << s.note << "\n";
        return 1;
    }
    s.decorate(rq);
    for (const auto &h : rq.headers)
        out() << QString::fromLatin1(h.first) << ": " << QString::fromLatin1(h.second) << "\n";
    out().flush();
    return 0;
}

} // namespace dipwb::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// The baseline: the emulator's own HTTP layer answering 202 to everything, doing nothing else.
// Benchmarks report the emulator's figures as ratios to this server's, measured in the same run.
#include "http/http_server.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const quint16 port = argc > 1 ? quint16(QByteArray(argv[1]).toUInt()) : 0;
    dipwb::http::HttpServer server;
    server.setHandler([](const dipwb::http::HttpRequest &, dipwb::http::HttpResponder responder) {
        responder.send(dipwb::http::HttpResponse::json(202, QByteArrayLiteral("{}")));
    });
    if (!server.listen(QHostAddress::LocalHost, port))
        return 1;
    QTextStream(stdout) << "bare server listening on http://127.0.0.1:" << server.port() << Qt::endl;
    return QCoreApplication::exec();
}

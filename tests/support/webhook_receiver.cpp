// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhook_receiver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>

namespace dipwb::testsupport {

WebhookReceiver::WebhookReceiver(QObject *parent)
    : QObject(parent)
{
}

bool WebhookReceiver::start(quint16 port)
{
    m_server = new http::HttpServer(this);
    m_server->setHandler([this](const http::HttpRequest &req, http::HttpResponder responder) {
        m_received.append({req.path, req.headers, req.body, QDateTime::currentMSecsSinceEpoch()});
        if (m_hang) {
            m_held << responder;
            return;
        }
        const int status = m_statuses.at(std::min<qsizetype>(m_answered++, m_statuses.size() - 1));
        responder.send(http::HttpResponse::json(status, QByteArrayLiteral("{}")));
    });
    return m_server->listen(QHostAddress::LocalHost, port);
}

void WebhookReceiver::stop()
{
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
}

quint16 WebhookReceiver::port() const
{
    return m_server ? m_server->port() : 0;
}

QString WebhookReceiver::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
}

QList<WebhookReceiver::Received> WebhookReceiver::receivedOn(const QByteArray &path) const
{
    QList<Received> out;
    for (const Received &r : m_received)
        if (r.path == path)
            out << r;
    return out;
}

bool WebhookReceiver::waitFor(int n, int timeoutMs, const QByteArray &path)
{
    QDeadlineTimer deadline(timeoutMs);
    while ((path.isEmpty() ? m_received.size() : receivedOn(path).size()) < n) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

} // namespace dipwb::testsupport

#pragma once

#include "http/http_server.h"

#include <QList>
#include <QObject>

namespace dipwb::testsupport {

/// A real webhook endpoint on 127.0.0.1: records every request and answers from a script of
/// statuses (the last one repeats), like a participant's system would.
class WebhookReceiver final : public QObject
{
    Q_OBJECT
public:
    struct Received
    {
        QByteArray path;
        http::HeaderList headers;
        QByteArray body;
        qint64 atMs = 0;
    };

    explicit WebhookReceiver(QObject *parent = nullptr);
    bool start(quint16 port = 0);
    void stop();
    quint16 port() const;
    QString url(const QString &path = QStringLiteral("/hook")) const;
    void setStatuses(QList<int> statuses) { m_statuses = std::move(statuses); }
    /// Takes each request and never answers it (a system that hangs); the connection stays open.
    void setHang(bool on) { m_hang = on; }

    const QList<Received> &received() const { return m_received; }
    QList<Received> receivedOn(const QByteArray &path) const;
    /// Spins the event loop until at least n requests arrived on path (any path if empty) or timeout.
    bool waitFor(int n, int timeoutMs, const QByteArray &path = {});

private:
    http::HttpServer *m_server = nullptr;
    QList<int> m_statuses{201};
    bool m_hang = false;
    QList<http::HttpResponder> m_held;
    QList<Received> m_received;
    int m_answered = 0;
};

} // namespace dipwb::testsupport

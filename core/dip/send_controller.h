#pragma once

#include "http/http_router.h"

#include <QObject>
#include <QThreadPool>

namespace dipwb::dip {

struct EmulatorContext;
struct AcceptedBatch;

/// POST /dip-channel/{IF-nnn}: L1 checks (all-or-nothing), then, in one durable commit, the
/// messages, their routing (L2), appointment changes, outbox rows and journal; the 201 goes out only
/// after that commit.
///
/// Threads: handle() and the commit callbacks run on the emulator thread; the CPU work of a
/// request (parsing, checks, routing, rendering the copies: prepareSend) runs on a private pool,
/// so the emulator thread is left to the network. Requests of one connection stay in order
/// because the HTTP server hands over the next one only after the previous answer.
class SendController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SendController)
public:
    explicit SendController(EmulatorContext &ctx, QObject *parent = nullptr);
    ~SendController() override;

    void handle(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);
    /// Waits until no request is being prepared (shutdown).
    void drain();

signals:
    /// Ids of messages just committed (the emulator batches these for the UI).
    void messagesStored(const QList<qint64> &messageIds);

private:
    void commit(std::shared_ptr<AcceptedBatch> batch, http::HttpResponder responder, qint64 nowMs);
    void committed(const std::shared_ptr<AcceptedBatch> &batch, const http::HttpResponder &responder);

    EmulatorContext &m_ctx;
    QThreadPool m_pool;
};

} // namespace dipwb::dip

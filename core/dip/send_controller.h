#pragma once

#include "http/http_router.h"

#include <QObject>

namespace dipwb::dip {

struct EmulatorContext;

/// POST /dip-channel/{IF-nnn}: L1 checks (all-or-nothing), then, in one durable commit, the
/// messages, their routing (L2), appointment changes, outbox rows and journal; the 201 goes out only
/// after that commit. Runs on the emulator thread.
class SendController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SendController)
public:
    explicit SendController(EmulatorContext &ctx, QObject *parent = nullptr);

    void handle(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);

signals:
    /// Ids of messages just committed (the emulator batches these for the UI).
    void messagesStored(const QList<qint64> &messageIds);

private:
    EmulatorContext &m_ctx;
};

} // namespace dipwb::dip

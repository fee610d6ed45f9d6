#pragma once

#include "http/http_router.h"

namespace dipwb::dip {

struct EmulatorContext;

/// POST /statusmessage: a recipient reports its L4 outcome (RCP codes) on publications it received.
/// Each item names the transaction id of the copy it got; the DIP routes the item back to the sender
/// of the original message, on that sender's status-message webhook.
class StatusController final
{
public:
    explicit StatusController(EmulatorContext &ctx);
    void submit(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);

private:
    EmulatorContext &m_ctx;
};

} // namespace dipwb::dip

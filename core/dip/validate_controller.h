#pragma once

#include "http/http_router.h"

namespace dipwb::dip {

struct EmulatorContext;

/// POST /validate/{IF-nnn}/{EventCode}: runs the checks a send would run, stores nothing and
/// answers 201 "Message OK" or 400 with every reason, payload schema failures (MSG1001) included
/// when the emulator has schemas.
class ValidateController final
{
public:
    explicit ValidateController(EmulatorContext &ctx);
    void validate(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);

private:
    EmulatorContext &m_ctx;
};

} // namespace dipwb::dip

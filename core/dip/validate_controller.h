#pragma once

#include "http/http_router.h"

namespace dipwb::dip {

struct EmulatorContext;

/// POST /validate/{IF-nnn}/{EventCode}: runs the checks a send would run, stores nothing and
/// answers 201 "Message OK" or 400 with every reason. Payload schema validation plugs in here too.
class ValidateController final
{
public:
    explicit ValidateController(EmulatorContext &ctx);
    void validate(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);

private:
    EmulatorContext &m_ctx;
};

} // namespace dipwb::dip

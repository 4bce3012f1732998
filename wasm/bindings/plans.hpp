// The core's stateless helper decisions (continuation, whole pages, edit, chunked upload, options bundling), as one
// JSON-in/JSON-out entry: `plan(kind, input)` gives {"ok": …} or {"error": {category, code, info, …}}. JS helpers
// (js/src/helpers/) do the I/O through the Session's ordinary calls and ask here what to send next.
#pragma once

#include <string>

namespace fwb {

std::string run_plan(const std::string& kind, const std::string& input_json);

}  // namespace fwb

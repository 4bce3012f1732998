// mw.Api's saveOptions (MediaWiki 1.39 resources/src/mediawiki.api/options.js): as many options as possible in one
// action=options `change`, the rest one request each. mw.Api can only bundle values without "|"; the parameter
// encoder here switches the whole list to U+001F when any value has one (params.cpp), so only names with "=" (the
// name/value separator) and text containing U+001F itself need a request of their own.
#pragma once

#include <vector>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

// The action=options requests for `options` ({name: value}; null resets the option), in the order to send them:
// the single ones first, then the bundle, as mw.Api sends them.
Expected<std::vector<json>> options_requests(const json& options);

}  // namespace fw

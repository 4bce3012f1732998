// mw.Api's edit(title, transform) (MediaWiki 1.39 resources/src/mediawiki.api/edit.js), decided here: read the
// current revision and the server's time, let the caller transform the content, write with basetimestamp and
// starttimestamp (and baserevid, which mw.Api does not send) so a concurrent edit or a deletion in between is the
// server's editconflict/pagedeleted, never a lost update, and nocreate so a page deleted meanwhile is not re-created.
#pragma once

#include <string>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

struct EditBase {
    std::string content;
    std::string timestamp;        // the revision's: sent as basetimestamp
    long long revid = 0;          // sent as baserevid: unlike a timestamp it tells apart edits in the same second
    std::string start_timestamp;  // the server's curtimestamp at the read: sent as starttimestamp
};

// The read: one query for content and timestamps, formatversion 2.
json edit_read_params(const std::string& title);

// The revision to transform, or mw.Api's codes: `invalidtitle`, `nocreate-missing`, `unknown` (no pages at all).
Expected<EditBase> edit_base(const json& answer);

// The write's parameters: `transformed` is what the transform gave (a string: the new text; an object: edit
// parameters over the defaults). `assert_user`: the caller expects a login, so the write asserts it.
Expected<json> edit_write_params(const std::string& title, const EditBase& base, const json& transformed,
                                 bool assert_user);

// The write's answer as mw.Api resolves it (`edit`), or `edit-failure` when the module answered but did not save
// (a captcha or a hook's refusal: MediaWiki's result "Failure" is not a success).
Expected<json> edit_outcome(const json& answer);

}  // namespace fw

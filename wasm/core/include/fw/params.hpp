// Action API parameters: from the caller's JSON values to the exact strings MediaWiki expects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

// One parameter after preprocessing. `blob` >= 0 when the value is the caller's Blob/File placeholder {"$blob": n}.
struct Param {
    std::string name;
    std::string value;
    int blob = -1;
};
using ParamList = std::vector<Param>;

// Percent-encodes everything but the unreserved set A-Z a-z 0-9 - _ . ~ (UTF-8 bytes; space is %20, '+' is %2B).
// Tokens end in "+\" and become badtoken when '+' is left bare, so nothing is left to interpretation.
std::string percent_encode(std::string_view text);

// Encodes one caller value the way MediaWiki reads it:
//   string → itself; number → shortest decimal ("5", "1.5"); true → "1"; false/null → dropped (returns false);
//   array of strings/numbers → joined with '|', or "\x1f" + joined with "\x1f" when any element contains '|';
//   {"$blob": n} → blob placeholder (only when allow_blob). Anything else is a usage error ("bad-param-value").
// Returns true when the parameter is present, false when it is dropped.
Expected<bool> encode_param(const std::string& name, const json& value, Param& out, bool allow_blob);

// Applies encode_param to every member of `params` (a JSON object, else "bad-params"), in the object's key order,
// dropping false/null.
Expected<ParamList> encode_params(const json& params, bool allow_blob);

// name=value&name=value with percent_encode on both sides. Blob fields are not allowed here.
std::string join_query(const ParamList& params);

}  // namespace fw

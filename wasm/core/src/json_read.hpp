// Reading fields of an answer without trusting its shape. Every nlohmann accessor that would throw on a wrong type
// (value(), get<>() on another type, operator[] on a const non-object) aborts the WebAssembly build, where
// exceptions are off, so answers are only ever read through these.
#pragma once

#include <optional>
#include <string>

#include "fw/types.hpp"

namespace fw::read {

// The member `key` of `value` when `value` is an object that has it, else nullptr.
const json* member(const json& value, const char* key);

// The string member `key`, or "" (also for non-objects and members of another type).
std::string string_member(const json& value, const char* key);

// JavaScript truthiness, which is what mw.Api applies to `error` and `errors`.
bool truthy(const json& value);

// Whether `value` nests arrays/objects more than `max_depth` levels deep (a scalar is depth 0). Iterative: copying,
// comparing or dumping a deeper value recurses once per level, so deeper values never get past the door.
bool deeper_than(const json& value, int max_depth);

// A token MediaWiki could have minted: a string of 1–256 printable ASCII characters without spaces (csrf tokens end
// in "+\\"). Anything else is refused, so a hostile answer cannot smuggle text into a body, header or URL.
std::optional<std::string> token_member(const json& value, const char* key);

// A centralauthtoken: 1–256 ASCII letters and digits (CentralAuth mints hex).
std::optional<std::string> central_token_member(const json& value, const char* key);

}  // namespace fw::read

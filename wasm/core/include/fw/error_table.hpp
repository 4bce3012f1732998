// The closed table of error codes: every code the library gives an error itself, plus the server codes it treats
// specially (any other API error code reaches the caller unchanged, as mw.Api passes it). docs/errors.md and the
// ErrorCode union in js/types/index.d.ts are generated from it by tools/fw_docs.cpp, which also fails when a code
// the sources emit is missing here (ctest "docs").
#pragma once

#include <cstddef>

namespace fw {

struct ErrorCodeRow {
    const char* code;
    const char* category;   // the JS Error class's category (fw::to_string(ErrorCategory), or "engine")
    const char* performed;  // "no", "maybe", or "maybe (a write)" when it depends on the call
    const char* meaning;
    const char* fix;
};

extern const ErrorCodeRow kErrorCodes[];
extern const std::size_t kErrorCodeCount;

}  // namespace fw

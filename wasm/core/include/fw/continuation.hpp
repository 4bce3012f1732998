// Continued queries (api.php `continue`), decided here so every build follows MediaWiki's rules the same way:
// the next request is the ORIGINAL parameters with every member of the answer's `continue` object set (members of
// an earlier `continue` are not carried over), and an answer without `continue` is the last batch.
#pragma once

#include <optional>

#include "fw/error.hpp"
#include "fw/types.hpp"

namespace fw {

// The parameters of the request after `answer`, or nullopt when `answer` ends the query. `current` is the request
// that got `answer`: a `continue` that leads back to it would loop forever and is refused. Only continuation
// members are taken (names ending in continue/from/offset, scalar values): an answer cannot steer the next request
// to another module, a token or another origin.
Expected<std::optional<json>> next_query_params(const json& original, const json& current, const json& answer);

// Whole pages across batches (m3api-query's queryFullPages): a page's props can be split over several batches
// until one says `batchcomplete`. `pending` is this function's own accumulator (start with null); the result is the
// array of pages that are whole after `answer` (empty until a batch completes), in the order the wiki sent them.
// Arrays (revisions, categories, links, …) are concatenated, objects merged, scalars replaced.
Expected<json> merge_query_pages(json& pending, const json& answer);

}  // namespace fw

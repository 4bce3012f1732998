// Continued queries: every batch of an action=query, following `continue` as the core decides
// (wasm/core/src/continuation.cpp), and whole pages merged across batches (m3api-query's queryFullPages).

import { AbortError } from '../errors.js';
import { plan } from './run.js';

function checkAborted(signal) {
  if (signal?.aborted) throw new AbortError('abort', 'The query was aborted.');
}

/**
 * The batches of `params`, as an async iterator. options: {maxBatches, signal, method: 'GET'|'POST'}. Each batch is
 * one request; stopping the loop (break, return, abort) sends no further request.
 */
export async function* queryBatches(api, params, options = {}) {
  const { maxBatches = Infinity, signal, method = 'GET' } = options;
  const original = { action: 'query', ...params };
  let current = original;
  for (let batch = 0; batch < maxBatches; batch++) {
    checkAborted(signal);
    const answer = await api.ajax(current, { type: method, signal });
    yield answer;
    const next = await plan(api, 'continue', { original, current, answer });
    if (!next) return;
    current = next;
  }
}

/**
 * The pages of `params` (a prop or generator query), each one whole: props split over batches are merged, and a
 * page comes out once a batch says batchcomplete. options: {limit (pages), maxBatches, signal, method}.
 */
export async function* queryFullPages(api, params, options = {}) {
  const { limit = Infinity } = options;
  let pending = null;
  let given = 0;
  if (limit <= 0) return;
  for await (const answer of queryBatches(api, { formatversion: 2, ...params }, options)) {
    const merged = await plan(api, 'mergePages', { pending, answer });
    pending = merged.pending;
    for (const page of merged.pages) {
      yield page;
      if (++given >= limit) return;
    }
  }
}

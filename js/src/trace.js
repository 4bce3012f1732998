// A documented observation hook for tools and the demo's request waterfall: every request the core emits, and how
// it ended. Entries carry only what is safe to show: the core's displayUrl (token values masked), never the raw
// URL, headers (Authorization) or body (csrf tokens).
//
//   const stop = onTrace((entry) => console.log(entry.phase, entry.purpose, entry.displayUrl));
//   entry: {phase: 'request'|'response'|'failure', id, call, purpose, why, method, displayUrl, credentials,
//           status, startMs, endMs, failure?}
//   startMs/endMs are performance.now() values; status is 0 until a response arrives; failure is 'network',
//   'timeout', 'abort' or 'cancelled' (the core no longer needed the answer).
// The core's notices arrive as {phase: 'notice', call, code, info} (e.g. anonymous-fallback, foreign-login).

const listeners = new Set();

/**
 * Subscribes a listener; returns a function that unsubscribes it.
 * @param {(entry: object) => void} listener
 */
export function onTrace(listener) {
  if (typeof listener !== 'function') throw new TypeError('onTrace(listener) needs a function');
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasTraceListeners() {
  return listeners.size > 0;
}

export function emitTrace(entry) {
  for (const listener of listeners) {
    try {
      listener({ ...entry });
    } catch {
      // A broken listener must not break the requests it observes.
    }
  }
}

// What every helper (edit, uploads, continuation, …) shares: it runs as one abortable CompatPromise made of ordinary
// calls of its instance (so each request gets the core's auth, tokens and retries), and asks the core what to send
// next (plan(): wasm/bindings/plans.cpp).

import { abortablePromise } from '../compat-promise.js';
import { AbortError, ResponseError, UsageError, errorFromCore } from '../errors.js';

/**
 * Runs `body(step)` as one call: `step(promise)` awaits one of the instance's calls, and after abort() (or the
 * caller's signal) no further step starts and the running one is aborted.
 * @returns {import('../compat-promise.js').CompatPromise & {abort(): void}}
 */
export function helperCall(body, { signal } = {}) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (signal) {
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  }
  const step = (promise) => {
    if (controller.signal.aborted) {
      // The call was made before this step could refuse it: stop it, and let its rejection be this one.
      promise.abort?.();
      Promise.resolve(promise).catch(() => {});
      return Promise.reject(new AbortError('abort', 'The call was aborted.'));
    }
    const onAbort = () => promise.abort?.();
    controller.signal.addEventListener('abort', onAbort, { once: true });
    return Promise.resolve(promise).finally(() => controller.signal.removeEventListener('abort', onAbort));
  };
  return abortablePromise((resolve, reject) => {
    Promise.resolve()
      .then(() => body(step, controller.signal))
      .then(resolve, reject)
      .finally(() => signal?.removeEventListener('abort', abort));
  }, abort);
}

/** The core's answer to plan(kind, input), or its error thrown as the named Error. */
export async function plan(api, kind, input) {
  const { engine } = await api.client.ready();
  const out = engine.plan(kind, input);
  if (out.trap) throw out.trap;
  if (out.error) throw errorFromCore(out.error);
  return out.ok;
}

/**
 * `read(answer)`, the part of a read's answer a helper returns; an answer without that part, or with it in a type
 * MediaWiki never gives it, is `unexpected-response` (a named error), never a TypeError from deep inside the helper.
 * `read` returns undefined for "not there".
 */
export function answerPart(answer, what, read) {
  let part;
  try {
    part = read(answer);
  } catch {
    part = undefined;
  }
  if (part === undefined) throw new ResponseError('unexpected-response', `The answer has no ${what}.`, { result: answer });
  return part;
}

/** A caller's mistake, thrown as mw.Api throws it (synchronously would break `await` chains: rejected instead). */
export function usage(code, info) {
  return new UsageError(code, info);
}

/** Waits `ms` unless aborted. */
export function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortError('abort', 'The call was aborted.'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('abort', 'The call was aborted.'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

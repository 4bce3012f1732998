// mw.Api returns jQuery promises: gadget code calls .done(), .fail(code, result) and .always(), chains them, and
// aborts with .abort(). CompatPromise is a native Promise that also speaks that dialect, so such code keeps working
// unchanged while new code uses await. .then() results are CompatPromises too (species), without .abort().

import { ForeignApiError } from './errors.js';

// An exception thrown by a callback must not vanish inside the promise machinery (jQuery would surface it too).
function report(error) {
  queueMicrotask(() => {
    throw error;
  });
}

function call(fn, args) {
  try {
    fn(...args);
  } catch (error) {
    report(error);
  }
}

// mw.Api rejects with (code, result, result, jqXHR); the Error object stands in the jqXHR slot.
function failArgs(reason) {
  if (reason instanceof ForeignApiError) {
    const result = reason.result !== undefined ? reason.result : { error: { code: reason.code, info: reason.info } };
    return [reason.code, result, result, reason];
  }
  return [reason];
}

export class CompatPromise extends Promise {
  /** jQuery-style success callbacks; returns this promise. */
  done(...fns) {
    // The rejection handler is a no-op on purpose: done() alone must not turn a failure into an unhandled rejection.
    this.then((value) => fns.flat().forEach((fn) => call(fn, [value])), () => {});
    return this;
  }

  /** jQuery-style failure callbacks, called as fn(code, result, result, error); returns this promise. */
  fail(...fns) {
    this.then(() => {}, (reason) => fns.flat().forEach((fn) => call(fn, failArgs(reason))));
    return this;
  }

  /** Called either way: with the value, or with the mw.Api failure arguments. */
  always(...fns) {
    this.then(
      (value) => fns.flat().forEach((fn) => call(fn, [value])),
      (reason) => fns.flat().forEach((fn) => call(fn, failArgs(reason))),
    );
    return this;
  }

  /** jQuery's deferred.promise(): the promise itself. */
  promise() {
    return this;
  }
}

/**
 * A CompatPromise settled by `executor`, with .abort() calling `abort` (only on this promise, as in mw.Api).
 * @param {(resolve: (v: any) => void, reject: (e: any) => void) => void} executor
 * @param {() => void} abort
 */
export function abortablePromise(executor, abort) {
  const promise = new CompatPromise(executor);
  Object.defineProperty(promise, 'abort', { value: () => { abort(); return promise; }, enumerable: false });
  return promise;
}

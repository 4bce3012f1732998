// What ForeignApi and ForeignRest share: one client of the shared engine per instance (registered on first use),
// and the life of each call: an abortable CompatPromise, AbortSignal support, abort() of everything pending.

import { getEngine } from './engine.js';
import { abortablePromise } from './compat-promise.js';
import { AbortError, UsageError } from './errors.js';

// A throwing onWarnings/onNotice must neither break the engine's dispatch nor vanish: rethrown on its own.
function guarded(fn) {
  if (typeof fn !== 'function') return undefined;
  return (...args) => {
    try {
      fn(...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };
}

function isBlob(value) {
  return typeof Blob === 'function' && value instanceof Blob;
}

/** Replaces Blob/File parameter values by the core's {"$blob": n} placeholders, collecting the objects. */
export function extractBlobs(params, blobs) {
  if (typeof params !== 'object' || params === null) return params;
  const out = {};
  for (const [key, value] of Object.entries(params)) {
    if (isBlob(value)) {
      out[key] = { $blob: blobs.length };
      blobs.push(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

export class Client {
  /**
   * @param {object} owner        the ForeignApi/ForeignRest instance (kept alive while its calls run)
   * @param {object} coreOptions  client options for the core (see options.js)
   * @param {{onWarnings?: Function, onNotice?: Function}} hooks
   */
  constructor(owner, coreOptions, hooks) {
    this.coreOptions = coreOptions;
    this.hooks = { onWarnings: guarded(hooks.onWarnings), onNotice: guarded(hooks.onNotice) };
    this.pending = new Set();
    this.registration = null;
    this.registered = null; // the engine of the registration, once it is done
    this.owner = owner; // a cycle (owner → client → owner) the collector handles
  }

  /**
   * {engine, id}, registering the client on first use (and again with the new engine after a trap); a UsageError
   * from the core rejects every call.
   */
  ready() {
    if (this.registered && this.registered.broken) this.registration = null;
    if (!this.registration) {
      this.registered = null;
      this.registration = getEngine().then((engine) => {
        const id = engine.addClient(this.coreOptions);
        engine.track(this.owner, id);
        this.registered = engine;
        return { engine, id };
      });
      this.registration.catch(() => {
        this.registration = null; // e.g. the wasm failed to load while offline: try again next call
      });
    }
    return this.registration;
  }

  /** Changes core options (e.g. crossorigin once learned): later calls register the client again with them. */
  reconfigure(changes) {
    this.coreOptions = { ...this.coreOptions, ...changes };
    this.registration = null;
    this.registered = null;
  }

  /**
   * Runs one call of `kind` ('action', 'rest', 'token'); `build(clientId, blobs)` returns the call object.
   * `fullResponse`: resolve with {body, status, headers} instead of the body alone. `onEvent(event)` sees the
   * completed event (event.http: the answer's status line and headers) before it resolves. `xhr` (mw.Api's
   * ajaxOptions.xhr factory) sends the call's own requests through XMLHttpRequest (upload progress).
   * @returns {import('./compat-promise.js').CompatPromise & {abort(): void}}
   */
  run(kind, build, { signal, fullResponse = false, onEvent, xhr } = {}) {
    let aborted = false;
    let started = null; // {engine, callId}
    let onSignal = null;
    const abort = () => {
      if (aborted) return;
      aborted = true;
      if (started) started.engine.abort(started.callId);
    };
    const promise = abortablePromise((resolve, reject) => {
      const done = () => {
        this.pending.delete(abort);
        if (onSignal) signal.removeEventListener('abort', onSignal);
      };
      const settle = {
        resolve: (body, event) => {
          done();
          if (event.warnings.length && this.hooks.onWarnings) this.hooks.onWarnings(event.warnings, event);
          if (onEvent) onEvent(event);
          if (kind === 'token') resolve(event.token);
          // {body, status, headers}: the response's status and headers (an ETag for a later If-Match) with the body.
          else if (fullResponse) resolve({ body, status: event.http?.status ?? 0, headers: new Headers(event.http?.headers ?? []) });
          else resolve(body);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      this.ready().then(({ engine, id }) => {
        if (aborted) return settle.reject(new AbortError('abort', 'The call was aborted.'));
        const blobs = [];
        let callId;
        try {
          callId = engine.start(kind, build(id, blobs), { ...settle, notice: this.hooks.onNotice, blobs, owner: this.owner, xhr });
        } catch (error) {
          return settle.reject(new UsageError('bad-params', `The call cannot be serialised: ${error.message}`));
        }
        started = { engine, callId };
      }, settle.reject);
    }, abort);
    this.pending.add(abort);
    if (signal) {
      if (signal.aborted) abort();
      else {
        onSignal = abort;
        signal.addEventListener('abort', onSignal, { once: true });
      }
    }
    return promise;
  }

  abortAll() {
    for (const abort of [...this.pending]) abort();
  }
}

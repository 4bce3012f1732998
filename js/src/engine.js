// One shared engine per realm (page, Worker, Node process): the wasm module is loaded once, and every ForeignApi /
// ForeignRest instance is a client of the same fw::Session, so token caches and single-flight token fetches are
// shared the way mw.Api shares them. This file is the host of the module's fetch bridge: the C++ driver
// (wasm/driver/driver.cpp) decides when to send, cancel and retry and owns every deadline; through the imports in
// wasm/bindings/fetch_bridge.js it asks this file to fetch (transport.js), cancel, set the one timer and settle calls.
// A trapped module (out of memory, stack exhausted, abort) is never used again: every pending call fails with an
// EngineError and the next call loads a fresh engine (token caches are lost, nothing else).

import { send } from './transport.js';
import { emitTrace, hasTraceListeners } from './trace.js';
import { EngineError, errorFromCore } from './errors.js';

let loadCore = null; // () => Promise<Emscripten module>; set by the entry point (index.js or script.js)
let enginePromise = null;
let currentEngine = null; // the loaded engine enginePromise stands for

/** The entry point tells the engine how to instantiate the wasm module (ES module import, or inlined script). */
export function setCoreLoader(loader) {
  loadCore = loader;
}

/** The shared engine host, loading the module on first use. A failed load is not cached, so a later call retries. */
export function getEngine() {
  if (!enginePromise) {
    if (!loadCore) return Promise.reject(new Error('foreign-wasm: no wasm loader was set'));
    const loading = Promise.resolve()
      .then(loadCore)
      .then((Module) => {
        currentEngine = new EngineHost(Module);
        return currentEngine;
      });
    enginePromise = loading;
    loading.catch(() => {
      if (enginePromise === loading) enginePromise = null;
    });
  }
  return enginePromise;
}

/**
 * Fails every pending call with an AbortError, deletes the wasm Engine (its memory is freed) and forgets the
 * engine; the next call loads a fresh one. Token caches are lost.
 */
export async function shutdown() {
  const pending = enginePromise;
  enginePromise = null;
  currentEngine = null;
  if (!pending) return;
  let engine;
  try {
    engine = await pending;
  } catch {
    return;
  }
  engine.dispose();
}

const now = () => performance.now();

// Clients of garbage-collected ForeignApi/ForeignRest instances are removed from the engine. The callback only
// queues the id (it may run while the runtime shuts down, when calling into wasm is not allowed); the queue is
// emptied before the next call starts.
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((held) => {
        held.engine.tracked.delete(held);
        held.engine.collected.push(held.id);
      })
    : null;

// OAuth 1 signers (js/src/oauth1.js, Node only) by the id the core puts on each request of their clients
// (AuthMode::OAuth1): the request is signed as it leaves, so a retry gets a fresh nonce. Weak: the instance's options
// hold its signer.
const signers = new Map();
const signerIds = new WeakMap();
let nextSigner = 1;

/** The id of `signer` ({identity, sign(request)}) for the core's client options, registered on first use. */
export function signerId(signer) {
  let id = signerIds.get(signer);
  if (id === undefined) {
    id = nextSigner++;
    signerIds.set(signer, id);
    signers.set(id, new WeakRef(signer));
  }
  return id;
}

let nextHandle = 1; // Engine handles: the key of each engine's host in Module.fwHosts (wasm/bindings/fetch_bridge.js)

class EngineHost {
  constructor(Module) {
    this.handle = nextHandle++;
    this.Module = Module;
    // The host the module's fetch bridge calls during an input. It only queues: the queue is worked off once the
    // input has returned (flush), so nothing calls back into the module while it is running, and a call's id is
    // known before its first request or event is handled.
    this.outbox = [];
    Module.fwHosts = Module.fwHosts || {};
    Module.fwHosts[this.handle] = {
      fetch: (json) => this.outbox.push(['fetch', json]),
      cancel: (id, timedOut) => this.outbox.push(['cancel', id, timedOut]),
      setTimer: (deadline) => this.outbox.push(['timer', deadline]),
      emit: (json) => this.outbox.push(['emit', json]),
    };
    this.engine = new Module.Engine(this.handle);
    this.spec = JSON.parse(Module.digestSpec());
    this.tracked = new Set(); // {engine, id} registered for each live instance's client
    this.collected = []; // client ids of garbage-collected instances, removed before the next call starts
    this.calls = new Map(); // callId → {resolve, reject, notice, blobs, owner, wrote}
    this.answer = null; // {id, body, uses, http}: the response being handled, for the events of this input
    this.inflight = new Map(); // requestId → {handle, entry}
    this.timer = null;
    this.deadline = null;
    this.disposed = false;
    this.broken = null; // the trap that ended this engine
    this.sink = {
      response: (request, status, headers, kind, digest, text, body, raw) => {
        if (!this.finish(request, { phase: 'response', status })) return;
        // The full parse, for the callers: a body is only ever a result within the input that handles it. `http`
        // is the answer as a jqXHR shows it (onwiki/jqxhr.js).
        const http = { status, statusText: raw ? raw.statusText : '', headers, text: raw ? raw.text : '' };
        this.answer = { id: request.id, body, uses: 0, http };
        const headerText = JSON.stringify(headers);
        this.input(() => this.engine.handleResponse(request.id, status, headerText, kind, digest, text, now()));
        this.answer = null;
      },
      failure: (request, kind) => {
        if (!this.finish(request, { phase: 'failure', failure: kind })) return;
        this.input(() => this.engine.handleFailure(request.id, kind, now()));
      },
    };
  }

  /** One input into the module, then what it asked for. */
  input(enter) {
    const result = this.guard(enter);
    this.flush();
    return result;
  }

  /** Works off what the module asked for during the inputs so far, in order (a handler may add an input). */
  flush() {
    while (this.outbox.length) {
      const [what, a, b] = this.outbox.shift();
      try {
        if (what === 'fetch') this.sendRequest(JSON.parse(a));
        else if (what === 'cancel') this.cancelRequest(a, b);
        else if (what === 'timer') this.arm(a < 0 ? null : a);
        else this.settle(JSON.parse(a));
      } catch (error) {
        // A bug of ours: nothing may be thrown outside the calls' promises, so the engine is ended like a trapped
        // one (every pending call fails with EngineError, the next call starts afresh). The original error is left
        // out: its message could quote the JSON it choked on, tokens included.
        this.crash(new Error(`internal error while handling "${what}" from the module (${error && error.name})`));
        return;
      }
    }
  }

  /** Runs `enter` (one input into the module); a trap ends this engine. Returns its result, undefined after a trap. */
  guard(enter) {
    if (this.broken) return undefined;
    try {
      return enter();
    } catch (error) {
      this.crash(error);
      return undefined;
    }
  }

  /** The error a call of this engine gets after the trap; `wrote` = one of its writes was sent. */
  trapError(wrote) {
    return new EngineError(
      'wasm-trap',
      `The WebAssembly engine stopped (${this.broken?.name || 'trap'}); the next call starts a new one.`,
      { cause: this.broken, performed: wrote ? 'maybe' : 'no' },
    );
  }

  crash(error) {
    this.broken = error instanceof Error ? error : new Error(String(error));
    this.disposed = true;
    if (currentEngine === this) {
      currentEngine = null;
      enginePromise = null;
    }
    delete this.Module.fwHosts[this.handle];
    this.outbox = [];
    clearTimeout(this.timer);
    for (const flight of this.inflight.values()) flight.handle.cancel();
    this.inflight.clear();
    for (const held of this.tracked) registry.unregister(held);
    this.tracked.clear();
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) call.reject(this.trapError(call.wrote));
  }

  /** Registers a client; returns its id or throws the core's UsageError (or the EngineError of a trap). */
  addClient(options) {
    const optionsText = JSON.stringify(options);
    const answerText = this.guard(() => this.engine.addClient(optionsText));
    if (answerText === undefined) throw this.trapError(false);
    const answer = JSON.parse(answerText);
    if (answer.error) throw errorFromCore(answer.error);
    return answer.ok;
  }

  /** Removes client `id` from the engine once `owner` is garbage collected. */
  track(owner, id) {
    if (!registry) return;
    const held = { engine: this, id };
    this.tracked.add(held);
    registry.register(owner, held, held);
  }

  /**
   * Starts a call: kind 'action' or 'rest' with the call object for the core, or 'token' with {client, type}.
   * `handlers` = {resolve(body, event), reject(error), notice?, blobs, owner}. The owner is held while the call
   * runs, so a ForeignApi only referenced by its pending promise stays alive. Throws when the call object cannot
   * be serialised (BigInt, cycles); nothing was started then.
   */
  start(kind, call, handlers) {
    const text = kind === 'token' ? '' : JSON.stringify(call);
    const id = this.guard(() => {
      const t = now();
      while (this.collected.length) this.engine.removeClient(this.collected.pop(), t);
      if (kind === 'token') {
        return this.engine.getToken(call.client, String(call.type), String(call.assert ?? ''), String(call.assertuser ?? ''), t);
      }
      return kind === 'rest' ? this.engine.startRest(text, t) : this.engine.startAction(text, t);
    });
    if (id === undefined) {
      handlers.reject(this.trapError(false));
      return 0;
    }
    this.calls.set(id, { ...handlers, wrote: false });
    this.flush();
    this.holdTimer();
    return id;
  }

  abort(callId) {
    if (this.disposed) return;
    this.input(() => this.engine.abort(callId, now()));
  }

  /**
   * One of the core's helper decisions (wasm/bindings/plans.hpp): {ok} or {error} (a core error object). After a
   * trap, the trap's error.
   */
  plan(kind, input) {
    const text = this.guard(() => this.Module.plan(kind, JSON.stringify(input)));
    if (text === undefined) return { error: null, trap: this.trapError(false) };
    return JSON.parse(text);
  }

  forgetToken(clientId, type) {
    this.guard(() => this.engine.forgetToken(clientId, String(type)));
  }

  sendRequest(request) {
    const call = this.calls.get(request.call);
    const entry = {
      id: request.id,
      call: request.call,
      purpose: request.purpose,
      why: request.why,
      method: request.method,
      displayUrl: request.displayUrl,
      credentials: request.credentials,
      status: 0,
      startMs: now(),
      endMs: undefined,
    };
    this.trace(entry, { phase: 'request' });
    if (call && request.method !== 'GET') call.wrote = true;
    let handle;
    try {
      if (request.signer) signers.get(request.signer).deref().sign(request);
      // A caller's XMLHttpRequest factory (upload progress) serves the call's own requests, not token fetches.
      const own = request.purpose === 'call' || request.purpose === 'retry';
      handle = send(request, call ? call.blobs : [], this.spec, this.sink, own && call ? call.xhr : undefined);
    } catch {
      // The runtime could not even start the fetch (e.g. no FormData): to the core that is a network failure.
      handle = { cancel() {} };
      queueMicrotask(() => this.sink.failure(request, 'network'));
    }
    this.inflight.set(request.id, { handle, entry });
  }

  /** The driver stopped a request: not needed any more, or its timeout passed (the driver owns every timeout). */
  cancelRequest(id, timedOut) {
    const flight = this.inflight.get(id);
    if (!flight) return;
    this.inflight.delete(id);
    flight.handle.cancel();
    this.trace(flight.entry, { phase: 'failure', failure: timedOut ? 'timeout' : 'cancelled' });
  }

  /** Ends a request's bookkeeping; false when nobody waits for it any more (cancelled, or the engine is gone). */
  finish(request, outcome) {
    const flight = this.inflight.get(request.id);
    if (!flight || this.disposed) return false;
    this.inflight.delete(request.id);
    this.trace(flight.entry, outcome);
    return true;
  }

  trace(entry, update) {
    Object.assign(entry, update);
    if (update.phase !== 'request') entry.endMs = now();
    if (hasTraceListeners()) emitTrace(entry);
  }

  settle(event) {
    if (event.type === 'notice') {
      if (hasTraceListeners()) emitTrace({ phase: 'notice', call: event.call, code: event.code, info: event.info });
      const call = this.calls.get(event.call);
      if (call && call.notice) call.notice(event);
      return;
    }
    const call = this.calls.get(event.call);
    if (!call) return;
    this.calls.delete(event.call);
    // The answer this input handles: the call's own, or (responseOf 0: a token waiter failed by the shared fetch's
    // answer) the one that ended it.
    // A failure of its own (a timeout, an abort) has no answer: it must not take another request's that this input
    // happens to be handling.
    const fromAnswer = event.responseOf
      ? this.answer && this.answer.id === event.responseOf
      : this.answer && event.type === 'failed' && event.error && event.error.status > 0 && event.error.status === this.answer.http.status;
    const http = fromAnswer ? this.answer.http : undefined;
    const body = this.resultFor(event.responseOf);
    if (http) event.http = http;
    if (event.type === 'completed') call.resolve(body, event);
    else {
      const error = errorFromCore(event.error, body);
      // Not enumerable: the answer's status line and headers, for the jqXHR of the on-wiki classes.
      if (http) Object.defineProperty(error, 'http', { value: http, configurable: true, writable: true });
      call.reject(error);
    }
    this.holdTimer();
  }

  /** The full body of request `id` for one caller: identical reads share a request, each gets its own copy. */
  resultFor(id) {
    const answer = this.answer;
    if (!answer || answer.id !== id || answer.body === undefined) return undefined;
    answer.uses += 1;
    if (answer.uses === 1) return answer.body;
    return typeof structuredClone === 'function' ? structuredClone(answer.body) : JSON.parse(JSON.stringify(answer.body));
  }

  /**
   * The one timer, at the driver's deadline (null: none). A timer already set for an earlier time is kept: the
   * driver re-arms when it fires early, which saves a clearTimeout/setTimeout pair per request.
   */
  arm(deadline) {
    if (deadline === null || this.disposed) {
      clearTimeout(this.timer);
      this.timer = null;
      this.deadline = null;
      return;
    }
    if (this.timer !== null && this.deadline <= deadline) return;
    clearTimeout(this.timer);
    this.deadline = deadline;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.deadline = null;
      this.input(() => this.engine.handleTimer(now()));
    }, Math.max(0, Math.ceil(deadline - now())));
    this.holdTimer();
  }

  /** Under Node, a deadline no call waits on must not keep the process alive; one a call waits on must. */
  holdTimer() {
    if (this.timer === null) return;
    const hold = this.calls.size > 0 ? 'ref' : 'unref';
    if (typeof this.timer[hold] === 'function') this.timer[hold]();
  }

  dispose() {
    if (this.broken) return;
    // Nothing left for finalizers to do: a registration outliving the engine would only hold it in memory.
    for (const held of this.tracked) registry.unregister(held);
    this.tracked.clear();
    for (const id of [...this.calls.keys()]) this.input(() => this.engine.abort(id, now()));
    if (this.broken) return;
    this.disposed = true;
    for (const flight of this.inflight.values()) flight.handle.cancel();
    this.inflight.clear();
    clearTimeout(this.timer);
    this.guard(() => this.engine.delete());
    delete this.Module.fwHosts[this.handle];
  }
}

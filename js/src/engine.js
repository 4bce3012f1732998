// One shared engine per realm (page, Worker, Node process): the wasm module is loaded once, and every ForeignApi /
// ForeignRest instance is a client of the same fw::Session, so token caches and single-flight token fetches are
// shared the way mw.Api shares them. This file is the pump: after every input it drains the core and dispatches
// requests, cancels and events, then arms one timer for the core's next deadline.
// A trapped module (out of memory, stack exhausted, abort) is never used again: every pending call fails with an
// EngineError and the next call loads a fresh engine (token caches are lost, nothing else).

import { send } from './transport.js';
import { emitTrace, hasTraceListeners } from './trace.js';
import { EngineError, errorFromCore } from './errors.js';

let loadCore = null; // () => Promise<Emscripten module>; set by the entry point (index.js or script.js)
let driverPromise = null;
let currentDriver = null; // the loaded driver driverPromise stands for

/** The entry point tells the engine how to instantiate the wasm module (ES module import, or inlined script). */
export function setCoreLoader(loader) {
  loadCore = loader;
}

/** The shared driver, loading the module on first use. A failed load is not cached, so a later call retries. */
export function getDriver() {
  if (!driverPromise) {
    if (!loadCore) return Promise.reject(new Error('foreign-wasm: no wasm loader was set'));
    const loading = Promise.resolve()
      .then(loadCore)
      .then((Module) => {
        currentDriver = new Driver(Module);
        return currentDriver;
      });
    driverPromise = loading;
    loading.catch(() => {
      if (driverPromise === loading) driverPromise = null;
    });
  }
  return driverPromise;
}

/**
 * Fails every pending call with an AbortError, deletes the wasm Engine (its memory is freed) and forgets the
 * driver; the next call loads a fresh one. Token caches are lost.
 */
export async function shutdown() {
  const pending = driverPromise;
  driverPromise = null;
  currentDriver = null;
  if (!pending) return;
  let driver;
  try {
    driver = await pending;
  } catch {
    return;
  }
  driver.dispose();
}

const now = () => performance.now();

// Clients of garbage-collected ForeignApi/ForeignRest instances are removed from the engine. The callback only
// queues the id (it may run while the runtime shuts down, when calling into wasm is not allowed); the queue is
// emptied before the next call starts.
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((held) => {
        held.driver.tracked.delete(held);
        held.driver.collected.push(held.id);
      })
    : null;

class Driver {
  constructor(Module) {
    this.core = new Module.Engine();
    this.spec = JSON.parse(Module.digestSpec());
    this.tracked = new Set(); // {driver, id} registered for each live instance's client
    this.collected = []; // client ids of garbage-collected instances, removed before the next call starts
    this.calls = new Map(); // callId → {resolve, reject, notice, blobs, owner}
    this.inflight = new Map(); // requestId → {handle, entry}
    this.bodies = new Map(); // requestId → {call, body}: full parses, kept until the call that may need them ends
    this.timer = null;
    this.deadline = null;
    this.pumping = false;
    this.again = false;
    this.disposed = false;
    this.broken = null; // the trap that ended this engine
    this.sink = {
      response: (request, status, headers, kind, digest, text, body) => {
        if (!this.finish(request, { phase: 'response', status })) return;
        if (body !== undefined) this.bodies.set(request.id, { call: request.call, body });
        const headerText = JSON.stringify(headers);
        this.input(() => this.core.handleResponse(request.id, status, headerText, kind, digest, text, now()));
      },
      failure: (request, kind) => {
        if (!this.finish(request, { phase: 'failure', failure: kind })) return;
        this.input(() => this.core.handleFailure(request.id, kind, now()));
      },
    };
  }

  /** Runs `enter` (one call into the module); a trap ends this engine. Returns its result, undefined after a trap. */
  guard(enter) {
    if (this.broken) return undefined;
    try {
      return enter();
    } catch (error) {
      this.crash(error);
      return undefined;
    }
  }

  /** One input to the core, then everything it has to say. */
  input(enter) {
    this.guard(enter);
    this.pump();
  }

  /** The error a call of this engine gets after the trap; `wrote` = one of its writes was sent. */
  trapError(wrote) {
    return new EngineError(
      'wasm-trap',
      `The WebAssembly engine stopped (${this.broken?.message || 'trap'}); the next call starts a new one.`,
      { cause: this.broken, performed: wrote ? 'maybe' : 'no' },
    );
  }

  crash(error) {
    this.broken = error instanceof Error ? error : new Error(String(error));
    this.disposed = true;
    if (currentDriver === this) {
      currentDriver = null;
      driverPromise = null;
    }
    clearTimeout(this.timer);
    for (const flight of this.inflight.values()) flight.handle.cancel();
    this.inflight.clear();
    this.bodies.clear();
    for (const held of this.tracked) registry.unregister(held);
    this.tracked.clear();
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) call.reject(this.trapError(call.wrote));
  }

  /** Registers a client; returns its id or throws the core's UsageError (or the EngineError of a trap). */
  addClient(options) {
    const optionsText = JSON.stringify(options);
    const answerText = this.guard(() => this.core.addClient(optionsText));
    if (answerText === undefined) throw this.trapError(false);
    const answer = JSON.parse(answerText);
    if (answer.error) throw errorFromCore(answer.error);
    return answer.ok;
  }

  /** Removes client `id` from the engine once `owner` is garbage collected. */
  track(owner, id) {
    if (!registry) return;
    const held = { driver: this, id };
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
      while (this.collected.length) this.core.removeClient(this.collected.pop());
      const t = now();
      if (kind === 'token') return this.core.getToken(call.client, String(call.type), t);
      return kind === 'rest' ? this.core.startRest(text, t) : this.core.startAction(text, t);
    });
    if (id === undefined) {
      handlers.reject(this.trapError(false));
      return 0;
    }
    this.calls.set(id, { ...handlers, wrote: false });
    this.pump();
    return id;
  }

  abort(callId) {
    if (this.disposed) return;
    this.input(() => this.core.abort(callId, now()));
  }

  forgetToken(clientId, type) {
    this.guard(() => this.core.forgetToken(clientId, String(type)));
  }

  pump() {
    // A trace listener or an event handler may start a call while we dispatch: drain again afterwards.
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        const drained = this.guard(() => this.core.drain());
        if (drained === undefined) return;
        this.dispatch(JSON.parse(drained));
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  dispatch({ requests, cancels, events, timeout }) {
    // Requests first: a request emitted and cancelled within one drain is then cancelled, not left running.
    for (const request of requests) this.sendRequest(request);
    for (const id of cancels) {
      const flight = this.inflight.get(id);
      if (!flight) continue;
      this.inflight.delete(id);
      flight.handle.cancel();
      this.trace(flight.entry, { phase: 'failure', failure: 'cancelled' });
    }
    for (const event of events) this.settle(event);
    // A body can only be a result while its call runs; bodies of shared requests (call 0) only within this drain.
    for (const [id, kept] of this.bodies) if (!this.calls.has(kept.call)) this.bodies.delete(id);
    this.arm(timeout);
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
      handle = send(request, call ? call.blobs : [], this.spec, this.sink);
    } catch {
      // The runtime could not even start the fetch (e.g. no FormData): to the core that is a network failure.
      handle = { cancel() {} };
      queueMicrotask(() => this.sink.failure(request, 'network'));
    }
    this.inflight.set(request.id, { handle, entry });
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
    const kept = this.bodies.get(event.responseOf);
    if (event.type === 'completed') call.resolve(kept ? kept.body : undefined, event);
    else call.reject(errorFromCore(event.error, kept ? kept.body : undefined));
  }

  arm(deadline) {
    if (deadline === null || this.disposed) {
      clearTimeout(this.timer);
      this.timer = null;
      this.deadline = null;
      return;
    }
    if (this.timer === null || this.deadline !== deadline) {
      clearTimeout(this.timer);
      this.deadline = deadline;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.deadline = null;
        this.input(() => this.core.handleTimeout(now()));
      }, Math.max(0, Math.ceil(deadline - now())));
    }
    // Under Node, a deadline no call waits on must not keep the process alive; one a call waits on must.
    const hold = this.calls.size > 0 ? 'ref' : 'unref';
    if (typeof this.timer[hold] === 'function') this.timer[hold]();
  }

  dispose() {
    // Nothing left for finalizers to do: a registration outliving the engine would only hold it in memory.
    if (this.broken) return;
    for (const held of this.tracked) registry.unregister(held);
    this.tracked.clear();
    for (const id of [...this.calls.keys()]) this.guard(() => this.core.abort(id, now()));
    this.pump();
    if (this.broken) return;
    this.disposed = true;
    for (const flight of this.inflight.values()) flight.handle.cancel();
    this.inflight.clear();
    this.bodies.clear();
    clearTimeout(this.timer);
    this.guard(() => this.core.delete());
  }
}

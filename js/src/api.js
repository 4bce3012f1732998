// The public surface shared by both entry points (index.js for ES modules, script.js for the classic script).

import { getEngine } from './engine.js';
import { ForeignApi } from './ForeignApi.js';
import { ForeignRest } from './ForeignRest.js';

export { ForeignApi } from './ForeignApi.js';
export { ForeignRest } from './ForeignRest.js';
export {
  ForeignApiError,
  UsageError,
  ApiError,
  RestError,
  HttpError,
  ResponseError,
  NetworkError,
  CorsError,
  LoginSuppressedError,
  CentralAuthError,
  TimeoutError,
  AbortError,
  EngineError,
  OAuthError,
} from './errors.js';
export { OAuth2Client } from './oauth2.js';
export { CompatPromise } from './compat-promise.js';
export { onTrace } from './trace.js';
export { install } from './install.js';
export { shutdown } from './engine.js';

/** Resolves once the wasm engine is loaded (calls do this by themselves; use it to load early or to check). */
export function ready() {
  return getEngine().then(() => undefined);
}

/**
 * The native-Promise classes under one name in both builds: on a wiki page the script's ForeignApi / ForeignRest
 * are the on-wiki subclasses with mw.Api's jQuery contract (script.js), these stay native.
 */
export const native = Object.freeze({ ForeignApi, ForeignRest });

// Named Error classes, one per category the core reports (fw::ErrorCategory). `code` is the server's own API error
// code where there is one, so code written for mw.Api's `.fail(code, result)` keeps working, and `instanceof`
// lets new code tell a refused login from a network failure without parsing strings.

export class ForeignApiError extends Error {
  /**
   * @param {string} code
   * @param {string} info
   * @param {{result?: unknown, status?: number, category?: string, performed?: 'no'|'maybe', cause?: unknown}} [details]
   */
  constructor(code, info, details = {}) {
    super(info || code, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.info = info || code;
    this.category = details.category ?? categoryOf(new.target);
    this.status = details.status ?? 0;
    this.result = details.result;
    // 'maybe': a write whose fate is unknown (check the wiki before repeating it); 'no': certainly not performed.
    this.performed = details.performed === 'maybe' ? 'maybe' : 'no';
  }
}

export class UsageError extends ForeignApiError {}        // the caller passed something invalid; nothing was sent
export class ApiError extends ForeignApiError {}          // the Action API answered with an error
export class RestError extends ForeignApiError {}         // the REST API answered with an error body
export class HttpError extends ForeignApiError {}         // an HTTP status without an API error body
export class ResponseError extends ForeignApiError {}     // a 2xx answer that is empty or not JSON
export class NetworkError extends ForeignApiError {}      // no response: offline, DNS, or a CORS refusal the browser hides
export class CorsError extends ForeignApiError {}         // the server refused the page's origin in a readable way
export class LoginSuppressedError extends ForeignApiError {}  // the wiki answered anonymously although we asked for a login
export class CentralAuthError extends ForeignApiError {}  // no centralauthtoken to be had, or the foreign wiki refused it twice
export class TimeoutError extends ForeignApiError {}
export class AbortError extends ForeignApiError {}
export class EngineError extends ForeignApiError {}       // the WebAssembly engine trapped; the next call starts a new one
// An OAuth handshake or identify answer was an error or did not verify, or the wiki refused the OAuth token (code:
// the server's, e.g. mwoauth-invalid-authorization, rest-read-denied, invalid_grant), or OAuth cannot work here
// (oauth2-reauthorize, oauth-api-origin, …). `reauthorize`: the user must authorize again.
export class OAuthError extends ForeignApiError {
  constructor(code, info, details = {}) {
    super(code, info, details);
    this.reauthorize = code === 'oauth2-reauthorize' || !!details.reauthorize;
  }
}

const byCategory = {
  usage: UsageError,
  api: ApiError,
  rest: RestError,
  http: HttpError,
  response: ResponseError,
  network: NetworkError,
  cors: CorsError,
  'login-suppressed': LoginSuppressedError,
  centralauth: CentralAuthError,
  timeout: TimeoutError,
  abort: AbortError,
  engine: EngineError,
  oauth: OAuthError,
};

// Names are set by hand, not taken from the classes: minifiers rename classes, and error.name is part of the API.
const names = [
  [ForeignApiError, 'ForeignApiError'],
  [UsageError, 'UsageError'],
  [ApiError, 'ApiError'],
  [RestError, 'RestError'],
  [HttpError, 'HttpError'],
  [ResponseError, 'ResponseError'],
  [NetworkError, 'NetworkError'],
  [CorsError, 'CorsError'],
  [LoginSuppressedError, 'LoginSuppressedError'],
  [CentralAuthError, 'CentralAuthError'],
  [TimeoutError, 'TimeoutError'],
  [AbortError, 'AbortError'],
  [EngineError, 'EngineError'],
  [OAuthError, 'OAuthError'],
];
for (const [cls, name] of names) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

function categoryOf(cls) {
  for (const [category, c] of Object.entries(byCategory)) if (c === cls) return category;
  return 'usage';
}

/**
 * The Error for a core error object {category, code, info, status, result}; `result` overrides the core's digest
 * with the full parsed body when the driver kept it.
 */
export function errorFromCore(error, result) {
  const Class = byCategory[error.category] ?? ForeignApiError;
  return new Class(error.code, error.info, {
    category: error.category,
    status: error.status,
    performed: error.performed,
    result: result !== undefined ? result : error.result ?? undefined,
  });
}

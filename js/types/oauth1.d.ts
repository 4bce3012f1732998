// foreign-wasm/oauth1: OAuth 1.0a for Extension:OAuth, Node only (its own wasm module; the gadget script and the
// browser entry never contain it). docs/oauth1.md has the flow.
import type { ForeignApi, ForeignApiOptions, RequestSigner } from './index.js';

/** A token and its secret: a request token (initiate) or an access token (complete, or an owner-only consumer's). */
export interface OAuth1Token {
  token: string;
  secret: string;
}

/** The verified claims of Special:OAuth/identify's JWT. */
export interface OAuth1Identity {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  nonce: string;
  /** Absent for a hidden (suppressed) user. */
  username?: string;
  editcount?: number;
  confirmed_email?: boolean;
  email_verified?: boolean;
  blocked: boolean;
  registered?: string | null;
  groups?: string[];
  rights?: string[];
  grants?: string[] | Record<string, string>;
  realname?: string;
  email?: string;
  [claim: string]: unknown;
}

export interface OAuth1Options {
  consumerKey: string;
  consumerSecret: string;
  /** The wiki's index.php URL, e.g. https://wiki.example.org/w/index.php (pretty URLs break the signature). */
  wiki: string;
  /** oauth_callback: 'oob' (default) or a URL under the consumer's registered callback. */
  callback?: string;
  /** $wgCanonicalServer, when it is not the origin of `wiki` (the identify JWT's iss is checked against it). */
  canonicalServer?: string;
  /** Replaces the global fetch for the handshake and identify. */
  fetch?: typeof fetch;
  /** Replace node:crypto's 128-bit hex nonce and Date.now (tests). */
  nonce?: () => string;
  now?: () => number;
}

export declare class OAuth1 {
  constructor(options: OAuth1Options);
  readonly consumerKey: string;
  readonly wiki: string;
  readonly callback: string;
  readonly canonicalServer: string;
  /** Step 1: a request token and the URL of the consent page to send the user to. */
  initiate(): Promise<{ authorizeUrl: string; requestToken: OAuth1Token }>;
  /** Step 3: the access token, from the oauth_verifier or the whole callback URL. */
  complete(requestToken: OAuth1Token, verifierOrCallbackUrl: string): Promise<OAuth1Token>;
  /** The verified identify claims for an access token. */
  identify(accessToken: OAuth1Token, options?: { leewayS?: number }): Promise<OAuth1Identity>;
  signer(accessToken: OAuth1Token): OAuth1Signer;
  foreignApi(apiUrl: string | URL, accessToken: OAuth1Token, options?: ForeignApiOptions): ForeignApi;
}

export declare class OAuth1Signer implements RequestSigner {
  constructor(credentials: {
    consumerKey: string;
    consumerSecret: string;
    token: string;
    tokenSecret: string;
    nonce?: () => string;
    now?: () => number;
  });
  readonly consumerKey: string;
  readonly token: string;
  readonly identity: string;
  sign(request: { method: string; url: string; headers: [string, string][]; bodyKind: string; body?: string }): void;
}

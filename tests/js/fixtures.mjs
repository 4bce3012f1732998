// Response bodies and headers exactly as real MediaWiki 1.39 (+ CentralAuth REL1_39) sent them to recorded
// requests (#N and "calab #N" are the request numbers in those recordings; the wikis are the ones tests/lab builds).

const DOCREF =
  'See http://127.0.0.2:8092/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at ' +
  '&lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of ' +
  'API deprecations and breaking changes.';

export const CSRF = 'e649d821b946fa61e9f8997086295ff86b052eb0+\\'; // calab #24
export const CSRF2 = 'c790aa11b946fa61e9f8997086295ff86b05ffff+\\';
export const CENTRAL = ['5c76749c30ecc02bbc5b7d8fa9b33d8a1', '9f0e2b7c41d2a8e6b3c5d7f9a1b2c3d41', '0a1b2c3d4e5f60718293a4b5c6d7e8f91'];

export const body = {
  userinfoAdmin: { batchcomplete: '', query: { userinfo: { id: 1, name: 'Admin' } } }, // calab #6
  userinfoAnon: { batchcomplete: '', query: { userinfo: { id: 0, name: '127.0.0.1', anon: '' } } }, // calab #16
  csrfTokens: (token = CSRF) => ({ batchcomplete: '', query: { tokens: { csrftoken: token } } }), // calab #24
  anonTokens: { batchcomplete: '', warnings: { tokens: { '*': 'Tokens may not be obtained when the same-origin policy is not applied.' } } }, // observed §2
  optionsSuccess: { options: 'success' }, // observed #46, calab #26
  badCsrf: { error: { code: 'badtoken', info: 'Invalid CSRF token.', '*': DOCREF } }, // observed #47
  badCsrfPlaintext: { errors: [{ code: 'badtoken', text: 'Invalid CSRF token.', module: 'options' }], docref: DOCREF }, // #48
  badCentral: { error: { code: 'badtoken', info: 'The centralauthtoken is not valid.', '*': DOCREF } }, // calab #7
  centralToken: (token) => ({ centralauthtoken: { centralauthtoken: token } }), // calab #3
  centralNotLoggedIn: { error: { code: 'notloggedin', info: 'Anonymous users cannot obtain a centralauthtoken.', '*': DOCREF } }, // calab #4
  maxlag: { error: { code: 'maxlag', info: 'Waiting for a database server: -1 second lagged.', host: '', lag: -1, type: 'db', '*': DOCREF } }, // #70
  readonly: { error: { code: 'readonly', info: 'The wiki is currently in read-only mode.', readonlyreason: 'lab maintenance', '*': DOCREF } }, // #72
  warningsFv2: { batchcomplete: true, warnings: { main: { warnings: 'Unrecognized parameter: foo.' } }, query: { userinfo: { id: 1, name: 'Admin' } } }, // #66
  assertUserFailed: { error: { code: 'assertuserfailed', info: 'You are no longer logged in, so the action could not be completed.', '*': DOCREF } }, // #60
  restContributions: { older: null, newer: null, latest: 'http://127.0.0.2:8092/w/rest.php/coredev/v0/me/contributions', contributions: [{ id: 2, comment: 'calab seed', timestamp: '2026-11-24T01:00:00Z', delta: null, size: 30, tags: [], type: 'revision', page: { id: 1, key: 'Main_Page', title: 'Main Page' } }] }, // calab #37
  restAnon401: { messageTranslations: { en: 'Not accessible by anonymous user' }, httpCode: 401, httpReason: 'Unauthorized' }, // calab #35
  restBadCsrf: { messageTranslations: { en: 'Invalid CSRF token.' }, httpCode: 403, httpReason: 'Forbidden' }, // #95
  restPageCreated: { id: 2, title: 'Calab REST page', key: 'Calab_REST_page', latest: { id: 3, timestamp: '2026-11-24T01:00:00Z' }, license: { url: '', title: '' }, content_model: 'wikitext', source: 'Created via REST with a CentralAuthToken.' }, // calab #41
};

// #14: the 403 a mismatched origin parameter gets (text, no CORS headers).
export const ORIGIN_MISMATCH_TEXT = "'origin' parameter does not match Origin header\n";

export const API_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, must-revalidate, max-age=0' };

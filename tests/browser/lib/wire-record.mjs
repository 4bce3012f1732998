// Everything Chromium sent during a test file, for the suite-wide token-confinement check
// (tests/browser/zz-confinement.test.mjs): every request of every context (URL, method, headers as sent, body),
// the tokens the wikis handed out (csrf and centralauthtoken answers), and every console message and page error.
// Each test file's process appends one JSON line per record to $FW_WIRE_DIR/<pid>.jsonl (tests/browser/run.sh
// empties that directory before the suite); without FW_WIRE_DIR nothing is recorded.

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FW_WIRE_DIR;
const file = dir ? join(dir, `${process.pid}.jsonl`) : null;
if (dir) mkdirSync(dir, { recursive: true });

const label = process.argv.find((a) => a.endsWith('.test.mjs'))?.replace(/^.*\//, '') || 'unknown';

function write(record) {
  if (file) appendFileSync(file, `${JSON.stringify({ file: label, ...record })}\n`);
}

// Answers whose bodies carry tokens: action=centralauthtoken and meta=tokens (also inside meta=userinfo|tokens), and
// OAuth 2's token endpoint (access and refresh tokens).
const TOKEN_ANSWER = /[?&](action=centralauthtoken|meta=[^&]*tokens)|\/rest\.php\/oauth2\/access_token$/;

function watchPage(page) {
  page.on('console', (message) => write({ kind: 'console', text: message.text() }));
  page.on('pageerror', (error) => write({ kind: 'pageerror', text: String(error && error.stack ? error.stack : error) }));
}

function watchContext(context) {
  context.on('request', async (request) => {
    let headers;
    try {
      headers = await request.allHeaders();
    } catch {
      headers = request.headers();
    }
    write({ kind: 'request', method: request.method(), url: request.url(), headers, body: request.postData() ?? '' });
  });
  context.on('response', async (response) => {
    if (!TOKEN_ANSWER.test(response.url()) || response.request().method() === 'OPTIONS') return;
    try {
      write({ kind: 'token-answer', url: response.url(), body: await response.text() });
    } catch {
      // the page went away before the body was read: its tokens were never usable either
    }
  });
  for (const page of context.pages()) watchPage(page);
  context.on('page', watchPage);
}

/** Records every context `browser` makes from now on (browser.newContext is wrapped). Returns the browser. */
export function recordWire(browser) {
  if (!file) return browser;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    watchContext(context);
    return context;
  };
  return browser;
}

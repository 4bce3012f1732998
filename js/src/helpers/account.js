// login, getUserInfo, saveOption(s), watch/unwatch, rollback (mw.Api 1.39 resources/src/mediawiki.api/login.js,
// user.js, options.js, watch.js, rollback.js). saveOptions' bundling is the core's (wasm/core/src/options_plan.cpp).

import { ApiError, UsageError } from '../errors.js';
import { helperCall, plan } from './run.js';

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * Logs in with a bot password (Special:BotPasswords) or a main password. Works in Node and on the wiki's own origin;
 * a browser page elsewhere cannot keep the wiki's session cookies, so it gets a UsageError at once.
 */
export function login(api, username, password) {
  return helperCall(async (step) => {
    const page = globalThis.location?.origin;
    if (page && page !== 'null' && originOf(api.apiUrl) !== page) {
      throw new UsageError(
        'login-cross-origin',
        'login() cannot work from a page on another origin: use CentralAuth or OAuth there (it works in Node and on the wiki itself).',
      );
    }
    const lgtoken = await step(api.getToken('login'));
    const answer = await step(api.post({ action: 'login', lgname: username, lgpassword: password, lgtoken }));
    if (answer?.login?.result !== 'Success') {
      throw new ApiError('login-failed', answer?.login?.reason || `The wiki refused the login (${answer?.login?.result}).`, {
        result: answer,
      });
    }
    // The session changed: tokens of the anonymous session are useless now.
    api.badToken('csrf');
    api.loggedInAs = answer.login.lgusername;
    return answer;
  });
}

export function getUserInfo(api) {
  return helperCall(async (step) => {
    const data = await step(api.get({ action: 'query', meta: 'userinfo', uiprop: ['groups', 'rights'] }));
    if (data?.query?.userinfo) return data.query.userinfo;
    throw new ApiError('unknown', 'The answer has no userinfo.', { result: data });
  });
}

// mw.Api serialises saveOptions per API URL, so two quick calls cannot overwrite each other out of order.
const optionQueues = new Map();

export function saveOptions(api, options) {
  const queue = (optionQueues.get(api.apiUrl) || Promise.resolve()).catch(() => {});
  const promise = helperCall(async (step) => {
    await queue;
    if (api.client.coreOptions.auth === 'anonymous') throw new ApiError('notloggedin', 'Anonymous users cannot save options.');
    let last;
    for (const params of await plan(api, 'options', { options })) last = await step(api.postWithToken('csrf', params));
    return last;
  });
  optionQueues.set(api.apiUrl, promise);
  return promise;
}

function watchInternal(api, pages, addParams) {
  return helperCall(async (step) => {
    const titles = Array.isArray(pages) ? pages.map(String) : String(pages);
    const data = await step(api.postWithToken('watch', { formatversion: 2, action: 'watch', titles, ...addParams }));
    return Array.isArray(pages) ? data.watch : data.watch[0];
  });
}

export function watch(api, pages, expiry) {
  return watchInternal(api, pages, expiry === undefined ? {} : { expiry });
}

export function unwatch(api, pages) {
  return watchInternal(api, pages, { unwatch: 1 });
}

export function rollback(api, page, user, params) {
  return helperCall(async (step) => {
    const data = await step(api.postWithToken('rollback', { action: 'rollback', title: String(page), user, ...params }));
    return data.rollback;
  });
}

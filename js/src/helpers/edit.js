// edit, create, newSection (mw.Api 1.39 resources/src/mediawiki.api/edit.js). The read, the conflict guards and the
// outcome are the core's (wasm/core/src/edit_plan.cpp); this file only runs the transform.

import { helperCall, plan } from './run.js';

/** Whether this instance acts for a logged-in user, so writes should assert it (mw.Api: wgUserName is set). */
export function expectsLogin(api) {
  const auth = api.client.coreOptions.auth;
  return auth === 'centralauth' || auth === 'bearer' || api.loggedInAs !== undefined;
}

// A transform may give text, an object of edit parameters, or a promise of either (a jQuery one too).
function jsonable(value) {
  if (typeof value === 'string' || (value && typeof value === 'object' && !Array.isArray(value))) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function edit(api, title, transform, options) {
  return helperCall(async (step) => {
    const name = String(title);
    const answer = await step(api.get(await plan(api, 'editRead', { title: name })));
    const base = await plan(api, 'editBase', { answer });
    const transformed = await transform({ timestamp: base.timestamp, content: base.content });
    const params = await plan(api, 'editWrite', {
      title: name,
      base,
      transformed: jsonable(transformed),
      assertUser: expectsLogin(api),
    });
    return plan(api, 'editOutcome', { answer: await step(api.postWithEditToken(params)) });
  }, options);
}

export function assertCurrentUser(api, query) {
  const asserted = {};
  if (expectsLogin(api)) {
    asserted.assert = 'user';
    const user = api.loggedInAs ?? api.client.coreOptions.localUser;
    if (user) asserted.assertuser = user;
  } else if (api.client.coreOptions.auth === 'anonymous') {
    asserted.assert = 'anon';
  }
  return { ...asserted, ...query };
}

export function create(api, title, params, content) {
  return helperCall(async (step) => {
    const answer = await step(
      api.postWithEditToken({
        ...assertCurrentUser(api, { action: 'edit', title: String(title), text: content, formatversion: '2', createonly: true }),
        ...params,
      }),
    );
    return plan(api, 'editOutcome', { answer });
  });
}

export function newSection(api, title, header, message, additionalParams) {
  return api.postWithEditToken({
    action: 'edit',
    section: 'new',
    title: String(title),
    summary: header,
    text: message,
    ...additionalParams,
  });
}

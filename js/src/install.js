// Opt-in replacement of MediaWiki's own classes, so existing gadgets that construct mw.ForeignApi /
// mw.ForeignRest get this implementation without code changes. Nothing is replaced unless install() is called.

import { ForeignApi } from './ForeignApi.js';
import { ForeignRest } from './ForeignRest.js';

/**
 * Sets mw.ForeignApi and mw.ForeignRest (of `target`, default globalThis.mw) to ours.
 * Returns a function that puts the previous ones back.
 */
export function install(target = globalThis.mw) {
  if (!target || typeof target !== 'object') {
    throw new TypeError('install() needs the mw object (none was passed and globalThis.mw is not set)');
  }
  const previous = { ForeignApi: target.ForeignApi, ForeignRest: target.ForeignRest };
  target.ForeignApi = ForeignApi;
  target.ForeignRest = ForeignRest;
  return () => {
    target.ForeignApi = previous.ForeignApi;
    target.ForeignRest = previous.ForeignRest;
  };
}

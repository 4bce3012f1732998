// Opt-in replacement of MediaWiki's own classes, so existing gadgets that construct mw.ForeignApi /
// mw.ForeignRest get this implementation without code changes. Nothing is replaced unless install() is called.

import { ForeignApi } from './ForeignApi.js';
import { ForeignRest } from './ForeignRest.js';

/**
 * Makes mw.ForeignApi and mw.ForeignRest (of `target`, default globalThis.mw) ours, and keeps them ours: on a wiki
 * page MediaWiki's `mediawiki.ForeignApi` module may load later (every gadget asks for it with mw.loader.using) and
 * assign its own classes; those assignments are remembered, not applied.
 * Returns a function that puts MediaWiki's (latest) classes back.
 */
export function install(target = globalThis.mw) {
  if (!target || typeof target !== 'object') {
    throw new TypeError('install() needs the mw object (none was passed and globalThis.mw is not set)');
  }
  const ours = { ForeignApi, ForeignRest };
  const theirs = { ForeignApi: target.ForeignApi, ForeignRest: target.ForeignRest };
  for (const name of Object.keys(ours)) {
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: true,
      get: () => ours[name],
      set: (value) => {
        theirs[name] = value;
      },
    });
  }
  return () => {
    for (const name of Object.keys(ours)) {
      delete target[name];
      target[name] = theirs[name];
    }
  };
}

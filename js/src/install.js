// Opt-in replacement of MediaWiki's own classes, so existing gadgets that construct mw.ForeignApi /
// mw.ForeignRest get this implementation without code changes. Nothing is replaced unless install() is called.

import { ForeignApi } from './ForeignApi.js';
import { ForeignRest } from './ForeignRest.js';
import { onWikiClasses } from './onwiki/classes.js';

/**
 * Makes mw.ForeignApi and mw.ForeignRest (of `target`, default globalThis.mw) ours, and keeps them ours: on a wiki
 * page MediaWiki's `mediawiki.ForeignApi` module may load later (every gadget asks for it with mw.loader.using) and
 * assign its own classes; those assignments are remembered, not applied.
 * On a wiki page (jQuery and mw.config present) the classes are subclasses of the page's own (onwiki/classes.js)
 * with mw.Api's jQuery promises; elsewhere the off-wiki classes.
 * Returns a function that puts MediaWiki's (latest) classes back.
 */
export function install(target = globalThis.mw) {
  if (!target || typeof target !== 'object') {
    throw new TypeError('install() needs the mw object (none was passed and globalThis.mw is not set)');
  }
  const onWiki = onWikiClasses(target);
  const ours = onWiki ? { ForeignApi: onWiki.ForeignApi, ForeignRest: onWiki.ForeignRest } : { ForeignApi, ForeignRest };
  const theirs = { ForeignApi: target.ForeignApi, ForeignRest: target.ForeignRest };
  if (onWiki) for (const name of Object.keys(ours)) onWiki.adopt(name, theirs[name]);
  for (const name of Object.keys(ours)) {
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: true,
      get: () => ours[name],
      set: (value) => {
        theirs[name] = value;
        if (onWiki) onWiki.adopt(name, value);
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

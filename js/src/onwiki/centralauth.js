// Whether the local wiki has CentralAuth, from ResourceLoader's module registry: CentralAuth registers
// ext.centralauth.ForeignApi (its mw.ForeignApi plugin) on every wiki it is installed on. Without it a
// centralauthtoken can never be had, so the on-wiki classes use cookies, as core's mw.ForeignApi does.

const MODULE = 'ext.centralauth.ForeignApi';

/** true / false on a wiki page; undefined when there is no module registry to ask. */
export function localWikiHasCentralAuth(mw) {
  const loader = mw && mw.loader;
  if (!loader || typeof loader.getState !== 'function') return undefined;
  return loader.getState(MODULE) !== null;
}

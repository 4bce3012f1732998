// Entry of the self-contained classic script dist/foreign-wasm.js (a user script, a gadget, a <script> tag):
// the build places Emscripten's single-file factory `ForeignWasmCore` (wasm inlined) in the same scope.
/* global ForeignWasmCore */

import { setCoreLoader } from './engine.js';
import * as api from './api.js';
import { onWikiClasses } from './onwiki/classes.js';

setCoreLoader(() => ForeignWasmCore());

// On a wiki page ForeignApi / ForeignRest are subclasses of the page's mw.ForeignApi / mw.ForeignRest with mw.Api's
// jQuery promises (onwiki/classes.js); `native` (api.js) keeps the native-Promise pair.
const onWiki = onWikiClasses(globalThis.mw);
globalThis.ForeignWasm = Object.freeze({
  ...api,
  ...(onWiki ? { ForeignApi: onWiki.ForeignApi, ForeignRest: onWiki.ForeignRest } : {}),
});

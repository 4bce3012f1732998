// Entry of the self-contained classic script dist/foreign-wasm.js (a user script, a gadget, a <script> tag):
// the build places Emscripten's single-file factory `ForeignWasmCore` (wasm inlined) in the same scope.
/* global ForeignWasmCore */

import { setCoreLoader } from './engine.js';
import * as api from './api.js';

setCoreLoader(() => ForeignWasmCore());

globalThis.ForeignWasm = Object.freeze({ ...api });

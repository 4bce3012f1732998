// ES module entry (npm package, bundlers, browsers, Workers, Node): the engine loads foreign-wasm-core.mjs and its
// .wasm next to this file, on first use.

import { setCoreLoader } from './engine.js';

setCoreLoader(() => import('./foreign-wasm-core.mjs').then((module) => module.default()));

export * from './api.js';

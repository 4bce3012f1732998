// CommonJS entry (the "require" condition in package.json). The package is ES modules. A Node.js that can
// require() an ES module (20.19+, 22.12+: process.features.require_module) gets the ES module itself, so
// require() and import share one engine; older ones get this error instead of Node's ERR_REQUIRE_ESM.
'use strict';

if (typeof process === 'object' && process.features && process.features.require_module) {
  module.exports = require('./index.js');
} else {
  const error = new Error(
    "foreign-wasm is an ES module package, and this Node.js cannot require() ES modules. Load it with " +
      "`const { ForeignApi } = await import('foreign-wasm');` (or `import` in an ES module), or use Node.js 20.19+ / 22.12+.",
  );
  error.code = 'ERR_REQUIRE_ESM';
  throw error;
}

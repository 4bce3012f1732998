// --extern-pre-js of the ES module build (Emscripten 3.1.6 only): its Node code path uses require() and __dirname,
// which an ES module does not have. Browsers and Workers skip this block.
if (typeof process == 'object' && process.versions && process.versions.node) {
  var __fwNodeModule = 'node:module';  // not a literal, so bundlers targeting the web leave it alone
  var require = (await import(__fwNodeModule)).createRequire(import.meta.url);
  var __dirname = require('path').dirname(require('url').fileURLToPath(import.meta.url));
}

// --pre-js of the ES module build (Emscripten 3.1.6 only): Node ≥ 18 has a global fetch, so the loader would fetch
// the .wasm by file path and fail (or hit a test's fake fetch). Under Node, read it from disk instead.
if (typeof process == 'object' && process.versions && process.versions.node && !Module['wasmBinary'] &&
    !Module['instantiateWasm']) {
  Module['instantiateWasm'] = function(imports, receive) {
    var file = wasmBinaryFile;
    if (file.startsWith('file:')) file = require('url').fileURLToPath(file);
    WebAssembly.instantiate(require('fs').readFileSync(file), imports).then(function(result) {
      receive(result.instance);
    }, readyPromiseReject);
    return {};
  };
}

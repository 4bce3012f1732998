// MediaWiki:Gadget-foreign-wasm.js: loads MediaWiki:Gadget-foreign-wasm-core.js (dist/foreign-wasm.js)
// raw, because gadget pages must be ES5 on MediaWiki 1.39, and publishes it as mw.libs.foreignWasm.
mw.libs.foreignWasm = mw.libs.foreignWasm || mw.loader.getScript(mw.config.get('wgScript') +
  '?title=MediaWiki:Gadget-foreign-wasm-core.js&action=raw&ctype=text/javascript'
).then(function () {
  return window.ForeignWasm;
});

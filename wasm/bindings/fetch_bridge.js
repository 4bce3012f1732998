// The JS half of the fetch bridge (--js-library): the imports the Driver's JsBridge calls (engine_bindings.cpp).
// Each forwards to the host js/src/engine.js registered for that Engine in Module.fwHosts; the host performs the
// fetch through js/src/transport.js, the one file that calls fetch. Strings arrive as UTF-8 pointers.
mergeInto(LibraryManager.library, {
  fw_bridge_fetch: function (engine, requestJson) {
    Module['fwHosts'][engine]['fetch'](UTF8ToString(requestJson));
  },
  fw_bridge_cancel: function (engine, request, timedOut) {
    Module['fwHosts'][engine]['cancel'](request, timedOut !== 0);
  },
  fw_bridge_set_timer: function (engine, deadline) {
    Module['fwHosts'][engine]['setTimer'](deadline);
  },
  fw_bridge_emit: function (engine, eventJson) {
    Module['fwHosts'][engine]['emit'](UTF8ToString(eventJson));
  },
});

// --js-library of both builds (size): embind's C++ side registers every builtin type at startup, which makes the glue
// carry the JavaScript marshalling of types engine_bindings.cpp never uses: std::wstring/std::u16string/
// std::u32string (UTF-16/UTF-32 codecs), emscripten::memory_view, and the 64-bit integers (BigInt). Those three
// registrations become no-ops here, about 2 KB of glue (0.6 KB gzip). The bindings use std::string, double, int,
// void and the Engine class. Binding one of the dropped types later fails loudly at startup (embind's
// "unbound types" error); delete the matching stub then.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring: function(rawType, charSize, name) {},
  _embind_register_memory_view: function(rawType, dataTypeIndex, name) {},
  _embind_register_bigint: function(primitiveType, name, size, minRange, maxRange) {},
});

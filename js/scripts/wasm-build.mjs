// The CMake build of wasm/bindings that build.mjs packages, brought up to date when build.mjs is run without
// --wasm-dir (as `npm pack` / `npm publish` do through prepack): configured on first use, incremental afterwards,
// with the same commands as tests/js/run.sh.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Builds the wasm link targets (the core twice, the OAuth 1 module) into `buildDir` (e.g. <repo>/build/wasm); returns its wasm/bindings dir. */
export function buildWasm(repo, buildDir) {
  // Emscripten's JS optimizer needs Debian's acorn (see the comment in tests/js/run.sh).
  const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' };
  const run = (cmd, args) => {
    try {
      // CMake's progress on stderr: stdout stays build.mjs's size table.
      execFileSync(cmd, args, { cwd: repo, env, stdio: ['ignore', process.stderr, 'inherit'] });
    } catch (error) {
      const hint = error.code === 'ENOENT' ? ` (${cmd} not found: scripts/install-deps.sh installs Emscripten)` : '';
      throw new Error(`${cmd} ${args.join(' ')} failed${hint}`);
    }
  };
  if (!existsSync(join(buildDir, 'CMakeCache.txt'))) {
    run('cmake', ['--preset', 'wasm', '-B', buildDir]);
  }
  run('cmake', ['--build', buildDir, '--target', 'fw_module_esm', 'fw_module_single', 'fw_oauth1_esm', '-j2']);
  return join(buildDir, 'wasm', 'bindings');
}

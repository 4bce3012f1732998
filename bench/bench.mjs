// The benchmark's entry point (bench/run.sh calls it after the lab and the builds are ready).
//   node bench/bench.mjs [--quick] [--out=DIR] [--only=rtt|cpu] [--runs=N] [--conditions=none,lat50] [--scenarios=S1,S5]
// Full: 5 runs per cell, no emulation and 50 ms emulated latency; writes DIR/results.{json,md} and DIR/chart.svg
// (default DIR bench/results). Quick: 1 run, no emulation, fewer CPU iterations, default DIR build/bench/quick.
// Exit code: 0 whatever the numbers; 1 when the benchmark itself broke (lab, browser, pages, every MediaWiki call
// failing).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRtt } from './rtt.mjs';
import { runCpu } from './cpu.mjs';
import { evaluateTargets, summarize, writeReports } from './report.mjs';
import { round } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const quick = args.includes('--quick');
const outDir = resolve(opt('out', quick ? join(REPO, 'build', 'bench', 'quick') : join(HERE, 'results')));
const only = opt('only', 'rtt,cpu').split(',');
const runs = Number(opt('runs', quick ? 1 : 5));
const conditions = opt('conditions', quick ? 'none' : 'none,lat50').split(',');
const scenarios = opt('scenarios', '') ? opt('scenarios', '').split(',') : null;

const t0 = Date.now();
const say = (s) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
const load = () => loadavg().map((x) => round(x, 2));

/** Share of CPU time the whole machine spent idle over `ms` (from /proc/stat), before anything of ours runs. */
async function idleShare(ms = 2000) {
  const read = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      return { idle: f[3] + (f[4] || 0), total: f.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  return a && b && b.total > a.total ? round((b.idle - a.idle) / (b.total - a.total), 2) : null;
}

// Snapshot of js/dist: another process may rebuild it while the benchmark runs; what was measured is recorded.
function snapshotDist() {
  const from = process.env.FW_BENCH_DIST_FROM ? resolve(process.env.FW_BENCH_DIST_FROM) : join(REPO, 'js', 'dist');
  const to = join(REPO, 'build', 'bench', 'dist');
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const files = {};
  for (const f of readdirSync(from)) {
    const data = readFileSync(join(from, f));
    writeFileSync(join(to, f), data);
    files[f] = { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex').slice(0, 16) };
  }
  process.env.FW_BENCH_DIST = '/' + relative(REPO, to) + '/';
  let commit = '';
  let dirty = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain', '--', 'js', 'wasm'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return { path: process.env.FW_BENCH_DIST, from: relative(REPO, from), commit, sourcesChangedSinceCommit: dirty || undefined, builtAt: statSync(join(from, 'foreign-wasm.js')).mtime.toISOString(), files };
}

/** Waits (at most ~20 s) for the machine to be mostly idle (e.g. after --fresh-build); returns the last idle share. */
async function settledIdle() {
  let idle = await idleShare();
  for (let i = 0; i < 9 && idle != null && idle < 0.75; i++) {
    if (i === 0) say(`the machine is busy (${Math.round(idle * 100)} % idle): waiting up to 20 s for it to settle`);
    idle = await idleShare();
  }
  return idle;
}

const results = {
  generated: new Date().toISOString(),
  command: process.env.FW_BENCH_COMMAND || `node bench/bench.mjs ${args.join(' ')}`.trim(),
  quick,
  machine: { node: process.version, cpus: cpus().length, loadStart: load(), idleAtStart: quick ? await idleShare(1000) : await settledIdle() },
  build: snapshotDist(),
};

// Sizes come from someone else's script, when it exists; its output is quoted as is. Run first, next to the
// snapshot of js/dist, so the sizes belong to the build that is measured.
const sizeScript = join(HERE, 'size.sh');
if (existsSync(sizeScript)) {
  // size.sh measures <its repo>/js/dist; it runs unchanged (--no-build: it would otherwise rebuild the shared
  // js/dist) in a small tree whose js/dist is the snapshot under test and whose build/ has the npm tarball(s).
  const tree = join(REPO, 'build', 'bench', 'size-tree');
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(join(tree, 'bench'), { recursive: true });
  mkdirSync(join(tree, 'js'), { recursive: true });
  mkdirSync(join(tree, 'build'), { recursive: true });
  writeFileSync(join(tree, 'bench', 'size.sh'), readFileSync(sizeScript));
  symlinkSync(join(REPO, 'build', 'bench', 'dist'), join(tree, 'js', 'dist'));
  for (const f of existsSync(join(REPO, 'build')) ? readdirSync(join(REPO, 'build')) : []) {
    if (f.endsWith('.tgz')) symlinkSync(join(REPO, 'build', f), join(tree, 'build', f));
  }
  try {
    results.sizes = execFileSync('bash', [join(tree, 'bench', 'size.sh'), '--no-build'], { cwd: tree, encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    results.sizes = `bench/size.sh --no-build failed: ${String(error.stderr || error.message).trim().split('\n').slice(-3).join(' ')}`;
  }
}

try {
  if (only.includes('rtt')) {
    say(`round trips: ${runs} run(s), conditions ${conditions.join(', ')}`);
    results.rtt = await runRtt({ runs, conditions, scenarios, log: console.log });
    results.rtt.summary = summarize(results.rtt.measurements);
    results.machine.chromium = results.rtt.meta.chromium;
    const mwOk = results.rtt.measurements.filter((m) => m.impl === 'mw' && m.ok).length;
    if (mwOk === 0) throw new Error('every MediaWiki call failed: the lab or the login is broken');
  }
  if (only.includes('cpu')) {
    say('client-side costs');
    results.cpu = await runCpu(
      quick
        ? { instantiations: 1, perCall: { n: 300, reps: 1, warmup: 300, modes: ['light', 'real'] }, big: { mb: 5, reps: 1, modes: ['light', 'real'] }, log: console.log }
        : { instantiations: 5, perCall: { n: 2000, reps: 5, warmup: 2000, modes: ['light', 'real'] }, big: { mb: 5, reps: 9, modes: ['light', 'real'] }, log: console.log },
    );
    results.machine.chromium = results.machine.chromium || results.cpu.chromium;
  }
} catch (error) {
  console.error(`[bench] the benchmark broke: ${error.stack || error}`);
  process.exit(1);
}

results.machine.loadEnd = load();
// Busy = other processes took more than a quarter of the machine in the 1–2 s before the start.
results.machine.busy = results.machine.idleAtStart != null && results.machine.idleAtStart < 0.75;
results.durationS = Math.round((Date.now() - t0) / 1000);
results.targets = evaluateTargets(results);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 1) + '\n');
writeReports(results, outDir);

say(`targets:`);
for (const t of results.targets) console.log(`  ${t.met ? 'met    ' : 'MISSED '} ${t.what}: ${t.measured} (wanted ${t.target})`);
say(`wrote ${relative(process.cwd(), join(outDir, 'results.md'))}, results.json, chart.svg (${results.durationS} s)`);

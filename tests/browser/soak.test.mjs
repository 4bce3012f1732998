// The soak's short version for CI (bench/soak/README.md): 60 mixed calls from a page of wiki A to B through the
// fault-injecting proxy with a fixed seed, then the server-side audit. Same invariants as bench/soak.sh: no write
// performed twice, no acknowledged write missing, no write reported 'no' that happened, every revision Admin's,
// every call settled, every error named with a performed field, no stale centralauthtoken sent.
// Shorter than the full soak: no expired-token variant and no 62 s proxy delay (each needs a minute), a 3 s
// read-only window.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireCentralAuth } from './lib/lab.mjs';
import { runSoak } from '../../bench/soak/soak.mjs';
import { summarize } from '../../bench/soak/report.mjs';

test('soak: 60 calls through the fault-injecting proxy, audited on B', { timeout: 140000 }, async (t) => {
  if (!requireCentralAuth(t)) return;
  const report = await runSoak({
    calls: 60,
    seed: 20261201,
    concurrency: 4,
    watchdogMs: 60000,
    hardLimitMs: 100000,
    expired: false,
    cover: true,
    readOnlyAt: 0.3,
    readOnlyMs: 3000,
    weights: { 'delay-long': 0 },
    say: (s) => t.diagnostic(s),
  });
  const { lines, failures } = summarize(report);
  for (const line of lines) t.diagnostic(line);
  const injected = Object.entries(report.proxyCounts).filter(([k, n]) => k !== 'pass' && n > 0).length;
  assert.ok(injected >= 6, `the proxy injected at least 6 kinds of fault (${JSON.stringify(report.proxyCounts)})`);
  assert.deepEqual(failures, [], lines.join('\n'));
});

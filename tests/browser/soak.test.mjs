// The soak's short version for CI (bench/soak/README.md): 60 mixed calls from a page of wiki A to B through the
// fault-injecting proxy with a fixed seed, then the server-side audit. Same invariants as bench/soak.sh: no write
// performed twice, no acknowledged write missing, no write reported 'no' that happened, every revision Admin's,
// every call settled, every error named with a performed field, no stale centralauthtoken sent.
// Known library problems are listed loudly but fail only with FW_SOAK_STRICT=1 (bench/soak/README.md, "Findings").
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
  // Known library problems (bench/soak/README.md, "Findings") are listed, and fail only with FW_SOAK_STRICT=1.
  const { lines, failures, known } = summarize(report, { strict: process.env.FW_SOAK_STRICT === '1' });
  for (const line of lines) t.diagnostic(line);
  if (known.length) process.stderr.write(`\n!!! soak: known library problems seen: ${known.join('; ')}\n\n`);
  const injected = Object.entries(report.proxyCounts).filter(([k, n]) => k !== 'pass' && n > 0).length;
  assert.ok(injected >= 6, `the proxy injected at least 6 kinds of fault (${JSON.stringify(report.proxyCounts)})`);
  assert.deepEqual(failures, [], lines.join('\n'));
});

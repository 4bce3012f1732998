// The soak's call plan: N calls drawn from the seed — kind (read, edit, options, REST write, upload), the instance that
// makes it (a patient one that waits out maxlag / read-only / 503 Retry-After, an impatient one with no retry
// budget), and a variant that brings a real server fault or a client-side limit into the call.

import { keyedSeed, pick, prng } from './prng.mjs';

export const KINDS = { read: 38, edit: 23, options: 14, rest: 18, upload: 7 };

/**
 * Variants. maxlag: maxlag=-2 on the call (B then answers maxlag with Retry-After: 5). used-token: the page mints a
 * centralauthtoken, uses it once on B by hand, and hands it to the library as the call's centralauthtoken
 * parameter; expired-token: one minted more than 61 s before; unknown-token: one A never issued. timeout: a call
 * timeout shorter than the proxy's long delays; slow-proxy: the proxy holds the call's first request 62 s, so the
 * fresh centralauthtoken the library sent is past its 60 s lifetime when B sees it. REST calls take no
 * parameters: only plain, timeout and slow-proxy. Uploads (mw.Api's `upload`: its own fields, no timeout) are plain:
 * the proxy's faults are theirs. The two variants that need a minute are off with expired: false.
 */
export function variantWeights({ expired = true } = {}) {
  return {
    action: { plain: 78, maxlag: 3, 'used-token': 5, 'expired-token': expired ? 2 : 0, 'unknown-token': 3, timeout: 8, 'slow-proxy': expired ? 0.5 : 0 },
    rest: { plain: 88, timeout: 10, 'slow-proxy': expired ? 2 : 0 },
    upload: { plain: 1 },
  };
}

/**
 * @param {{seed: number, calls: number, run: string, expired?: boolean}} o
 * @returns {Array<{n, kind, variant, inst, title?, option?, marker, rawReuse?}>}
 */
export function makePlan({ seed, calls, run, expired = true, cover = false }) {
  const rnd = prng(keyedSeed(seed, 'plan'));
  const weights = variantWeights({ expired });
  const plan = [];
  for (let n = 0; n < calls; n++) {
    const kind = pick(KINDS, rnd());
    const variant = pick(kind === 'rest' || kind === 'upload' ? weights[kind] : weights.action, rnd());
    const inst = rnd() < 0.7 ? 'patient' : 'impatient';
    const item = { n, kind, variant, inst, marker: `soak-${run}-${n}-${Math.floor(rnd() * 1e9).toString(36)}` };
    if (kind === 'edit' || kind === 'rest') item.title = `Soak/${run}/${n}`;
    if (kind === 'options') item.option = `userjs-soak-${run}-${n}`;
    if (kind === 'upload') item.title = `File:Soak-${run}-${n}.txt`;
    if (variant === 'used-token') item.rawReuse = rnd() < 0.35;
    plan.push(item);
  }
  // cover: a short plan still gets every action-API variant at least once (on reads and edits, spread out).
  if (cover) {
    const wanted = Object.keys(weights.action).filter((v) => weights.action[v] > 0 && v !== 'plain');
    let at = 3;
    for (const v of wanted) {
      for (const kind of ['read', 'edit']) {
        if (plan.some((p) => p.variant === v && p.kind === kind)) continue;
        const i = plan.findIndex((p, j) => j >= at && p.kind === kind && p.variant === 'plain');
        if (i < 0) continue;
        plan[i].variant = v;
        if (v === 'used-token') plan[i].rawReuse = kind === 'read';
        at = i + 2;
      }
    }
  }
  return plan;
}

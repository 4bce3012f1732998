// CLI of the soak (bench/soak.sh runs it): node bench/soak/main.mjs [--calls N] [--seed S] [--concurrency C]
// Prints the table; exit code 1 when an audit number is not zero or a call did not settle, 2 when the soak broke.

import { runSoak } from './soak.mjs';
import { summarize } from './report.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
};
const stamp = () => new Date().toTimeString().slice(0, 8);
const say = (s) => console.log(`[soak ${stamp()}] ${s}`);

try {
  const report = await runSoak({
    calls: Number(arg('calls', '1000')),
    seed: arg('seed') === undefined ? undefined : Number(arg('seed')),
    concurrency: Number(arg('concurrency', '4')),
    say,
  });
  const { lines, failures } = summarize(report);
  console.log('\n' + lines.join('\n'));
  console.log(`\nfull report: ${report.out}/report.json, proxy log: ${report.out}/proxy.jsonl`);
  if (failures.length) {
    console.log(`\nSOAK FAILED: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('\nSOAK PASSED: every audit number is zero and every call settled');
  process.exit(0);
} catch (e) {
  console.error(`soak broke: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
}

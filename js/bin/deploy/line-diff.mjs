// A line diff for --dry-run: what a deploy would change on a page, in unified-diff style (2 lines of context).
// The pages are small or few-lined (the single-file build is a handful of very long lines), so a plain LCS table
// is enough; past MAX_CELLS the whole old text is shown as replaced.

const CONTEXT = 2;
const MAX_CELLS = 4_000_000;
const MAX_LINE = 160; // characters of a line shown

const shown = (line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length} characters)` : line);

/** The edit script from a to b (arrays of lines): [{ op: ' ' | '-' | '+', line }]. */
function editScript(a, b) {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((line) => ({ op: '-', line })), ...b.map((line) => ({ op: '+', line }))];
  }
  // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const script = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      script.push({ op: ' ', line: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      script.push({ op: '-', line: a[i++] }); // what goes before what comes
    } else {
      script.push({ op: '+', line: b[j++] });
    }
  }
  return script;
}

/** The changed lines of `after` against `before` with their context, or '' when the texts are equal. */
export function lineDiff(before, after) {
  if (before === after) return '';
  const script = editScript(before === '' ? [] : before.split('\n'), after.split('\n'));
  const keep = script.map(() => false);
  script.forEach((step, k) => {
    if (step.op === ' ') return;
    for (let c = Math.max(0, k - CONTEXT); c <= Math.min(script.length - 1, k + CONTEXT); c++) keep[c] = true;
  });
  const out = [];
  script.forEach((step, k) => {
    if (keep[k]) out.push(`${step.op} ${shown(step.line)}`);
    else if (out[out.length - 1] !== '…') out.push('…'); // one mark per run of unchanged lines left out
  });
  return out.join('\n');
}

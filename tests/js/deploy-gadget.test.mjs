// deploy-gadget's decisions that need no wiki (the lab deploy is tests/browser/gadget.test.mjs): the
// Gadgets-definition line, the deploy marker in the summary, the dry-run diff, the loader being docs/gadget.md's,
// and the command line's refusals before any request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineDiff } from '../../js/bin/deploy/line-diff.mjs';
import { DEFINITION_LINE, deployedPageHash, deploySummary, isOurs, release, sha256, withDefinitionLine } from '../../js/bin/deploy/pages.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'js', 'bin', 'deploy-gadget.mjs');

describe('deploy-gadget', () => {
  it('puts the library line into Gadgets-definition: appended once, replaced in place, nothing else touched', () => {
    assert.equal(withDefinitionLine(undefined), DEFINITION_LINE);
    assert.equal(withDefinitionLine('== tools ==\n* a[ResourceLoader]|a.js\n\n'), `== tools ==\n* a[ResourceLoader]|a.js\n${DEFINITION_LINE}`);
    const old = '* a|a.js\n* foreign-wasm[ResourceLoader|default]|foreign-wasm.js\n* foreign-wasm-tools|t.js\n';
    assert.equal(withDefinitionLine(old), `* a|a.js\n${DEFINITION_LINE}\n* foreign-wasm-tools|t.js`);
    assert.equal(withDefinitionLine(withDefinitionLine(old)), withDefinitionLine(old));
  });

  it('marks a deploy in the summary with the version, the build hash and the page hash', () => {
    const built = release();
    assert.equal(built.buildHash, sha256(readFileSync(join(repo, 'js', 'dist', 'foreign-wasm.js'), 'utf8')));
    const summary = deploySummary(built, 'text');
    assert.match(summary, new RegExp(`^foreign-wasm ${built.version.replace(/\./g, '\\.')} deploy \\(build sha256 ${built.buildHash}; `));
    assert.ok(summary.length < 255, 'fits an edit summary');
    assert.equal(deployedPageHash(summary), sha256('text'));
    assert.equal(deployedPageHash('fix a typo'), null);
    assert.equal(isOurs({ comment: summary, content: 'text' }), true);
    assert.equal(isOurs({ comment: summary, content: 'text, edited by hand' }), false, 'an edit that kept the summary');
    assert.equal(isOurs({ comment: 'undo', content: 'text' }), false);
  });

  it('shows a dry run as a line diff with context, long lines cut', () => {
    assert.equal(lineDiff('a\nb\n', 'a\nb\n'), '');
    assert.equal(lineDiff('', 'x\ny'), '+ x\n+ y');
    assert.equal(lineDiff('1\n2\n3\n4\n5\n6\n7\n8', '1\n2\n3\n4\nfive\n6\n7\n8'), '…\n  3\n  4\n- 5\n+ five\n  6\n  7\n…');
    const diff = lineDiff('x'.repeat(1000), 'y'.repeat(1000));
    assert.match(diff, /^- x{160}… \(1000 characters\)\n\+ y{160}… \(1000 characters\)$/);
  });

  it('deploys the ES5 loader that docs/gadget.md shows', () => {
    const doc = readFileSync(join(repo, 'docs', 'gadget.md'), 'utf8');
    const [, block] = doc.match(/<!-- example: gadget-loader -->\s*\n[ \t]*```js\n([\s\S]*?)\n[ \t]*```/);
    const shown = block.split('\n').map((line) => line.replace(/^ {3}/, '')).join('\n');
    const loader = release().owned.find((page) => page.title === 'MediaWiki:Gadget-foreign-wasm.js').text;
    assert.equal(shown, loader.trimEnd());
    assert.doesNotMatch(loader, /=>|\blet\b|\bconst\b|`/, 'ES5');
  });

  it('refuses bad usage and a deploy without a bot password, before any request', () => {
    const run = (args, env = {}) => spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
      timeout: 30000,
    });
    let result = run([]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--api needs the wiki's api\.php URL/);
    result = run(['--api', 'http://127.0.0.1:9/w/api.php', '--bogus']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown argument --bogus/);
    result = run(['--api', 'http://127.0.0.1:9/w/api.php'], { FW_DEPLOY_USER: 'Example@deploy' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /set FW_DEPLOY_USER and FW_DEPLOY_PASSWORD/);
    // A wiki that is not there: a named failure, exit 1, the password nowhere in the output.
    result = run(['--api', 'http://127.0.0.1:9/w/api.php'], { FW_DEPLOY_USER: 'Example@deploy', FW_DEPLOY_PASSWORD: 'secret-password-123' });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /NetworkError/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes('secret-password-123'));
  });
});

// What `deploy-gadget` puts on a wiki (docs/gadget.md §2): the single-file build, the ES5 loader, and the library's
// line in MediaWiki:Gadgets-definition; and the edit summary that marks a deploy, which is how the next deploy
// tells its own last revision from somebody else's edit.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CORE_PAGE = 'MediaWiki:Gadget-foreign-wasm-core.js';
export const LOADER_PAGE = 'MediaWiki:Gadget-foreign-wasm.js';
export const DEFINITION_PAGE = 'MediaWiki:Gadgets-definition';
export const DEFINITION_LINE = '* foreign-wasm[ResourceLoader|hidden]|foreign-wasm.js';

export const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The files of this package that a deploy publishes, with the version and the build's hash. */
export function release() {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const build = readFileSync(join(packageDir, 'dist', 'foreign-wasm.js'), 'utf8');
  const loader = readFileSync(join(packageDir, 'gadget', 'loader.js'), 'utf8');
  return {
    version,
    buildHash: sha256(build),
    // Whole pages this tool owns: a change by anyone else since the last deploy is a conflict. As MediaWiki stores
    // them (its pre-save transform trims trailing whitespace), so an unchanged page compares equal.
    owned: [
      { title: CORE_PAGE, text: build.trimEnd() },
      { title: LOADER_PAGE, text: loader.trimEnd() },
    ],
  };
}

/** The edit summary of a deploy: the version, the build's sha256 (README: verifying a deploy), the page's sha256. */
export function deploySummary({ version, buildHash }, pageText) {
  return `foreign-wasm ${version} deploy (build sha256 ${buildHash}; page sha256 ${sha256(pageText)})`;
}

/** The page hash a deploy's summary recorded, or null when the summary is not a deploy's. */
export function deployedPageHash(summary) {
  const match = /^foreign-wasm \S+ deploy \(build sha256 [0-9a-f]{64}; page sha256 ([0-9a-f]{64})\)$/.exec(summary ?? '');
  return match ? match[1] : null;
}

/**
 * Whether the latest revision of an owned page is a deploy's, unchanged since: its summary is a deploy summary and
 * the page's text is what that deploy wrote.
 */
export function isOurs(revision) {
  return deployedPageHash(revision.comment) === sha256(revision.content);
}

const libraryLine = /^\*\s*foreign-wasm\s*[[|]/;

/**
 * Gadgets-definition with the library's line in place: replaced where it is, appended where it is not; trailing
 * whitespace trimmed, as MediaWiki saves it.
 */
export function withDefinitionLine(definition) {
  const lines = (definition ?? '').trimEnd().split('\n');
  const at = lines.findIndex((line) => libraryLine.test(line));
  if (at >= 0) lines[at] = DEFINITION_LINE;
  else if (lines.length === 1 && lines[0] === '') lines[0] = DEFINITION_LINE;
  else lines.push(DEFINITION_LINE);
  return lines.join('\n');
}

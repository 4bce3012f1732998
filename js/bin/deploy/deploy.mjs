// One deploy of the gadget (bin/deploy-gadget.mjs is the command line): read the pages, decide per page, refuse
// the whole deploy when somebody else changed an owned page since the last deploy, then write with this library's
// own edit()/create() (basetimestamp: a change between the read and the write is an edit conflict, not lost).

import { lineDiff } from './line-diff.mjs';
import { DEFINITION_PAGE, deploySummary, isOurs, release, withDefinitionLine } from './pages.mjs';

export class DeployRefused extends Error {
  constructor(message, conflicts) {
    super(message);
    this.name = 'DeployRefused';
    this.conflicts = conflicts;
  }
}

const NEEDED_RIGHTS = ['editinterface', 'editsitejs'];

/** The latest revision of each title (null where the page does not exist) and the user's rights. */
async function readPages(api, titles) {
  const data = await api.get({
    action: 'query',
    prop: 'revisions',
    titles,
    rvprop: ['ids', 'timestamp', 'user', 'comment', 'content'],
    rvslots: 'main',
    meta: 'userinfo',
    uiprop: 'rights',
    formatversion: 2,
  });
  const pages = new Map();
  for (const page of data?.query?.pages ?? []) {
    const revision = page.revisions?.[0];
    pages.set(page.title, page.missing || !revision ? null : {
      revid: revision.revid,
      timestamp: revision.timestamp,
      user: revision.user,
      comment: revision.comment ?? '',
      content: revision.slots?.main?.content ?? '',
    });
  }
  for (const title of titles) {
    if (!pages.has(title)) throw new Error(`the wiki did not answer for ${title}`);
  }
  return { pages, user: data.query.userinfo };
}

/** What the deploy does to one page: create, update, unchanged, or conflict (somebody else's edit on top). */
function decide(title, current, text, owned, force) {
  if (current === null) return { title, action: 'create', text, diff: lineDiff('', text) };
  const step = { title, current, text, diff: lineDiff(current.content, text) };
  if (current.content === text) return { ...step, action: 'unchanged' };
  if (owned && !isOurs(current) && !force) return { ...step, action: 'conflict' };
  return { ...step, action: 'update' };
}

/**
 * Deploys the gadget through `api` (a ForeignApi, logged in unless dryRun). Returns the steps taken:
 * [{title, action, diff, revid?}]. Throws DeployRefused before writing anything when an owned page was changed by
 * somebody else since the last deploy (force overrides) or the user lacks the rights.
 */
export async function deployGadget(api, { dryRun = false, force = false } = {}) {
  const built = release();
  const titles = [...built.owned.map((page) => page.title), DEFINITION_PAGE];
  const { pages, user } = await readPages(api, titles);

  const steps = built.owned.map((page) => decide(page.title, pages.get(page.title), page.text, true, force));
  const definition = pages.get(DEFINITION_PAGE);
  steps.push(decide(DEFINITION_PAGE, definition, withDefinitionLine(definition?.content), false, force));

  const conflicts = steps.filter((step) => step.action === 'conflict');
  if (conflicts.length > 0 && !dryRun) {
    const list = conflicts.map((s) => `${s.title}: revision ${s.current.revid} by ${s.current.user} at ${s.current.timestamp} ("${s.current.comment}")`);
    throw new DeployRefused(
      `refused: changed by somebody else since the last deploy, and a deploy would overwrite it:\n  ${list.join('\n  ')}\n` +
        'Look at that change (it may be a fix to keep), then run again with --force to replace it.',
      conflicts,
    );
  }
  if (dryRun) return { built, steps, user };

  const missing = NEEDED_RIGHTS.filter((right) => !(user?.rights ?? []).includes(right));
  if (user?.anon !== undefined || missing.length > 0) {
    throw new DeployRefused(`refused: ${user?.name ?? 'this user'} lacks ${missing.join(', ') || 'a login'} on this wiki ` +
      '(interface administrators have them; a bot password needs the "Edit the site configuration" grant)', []);
  }

  for (const step of steps) {
    if (step.action === 'unchanged') continue;
    const summary = deploySummary(built, step.text);
    const outcome = step.action === 'create'
      ? await api.create(step.title, { summary }, step.text)
      : await api.edit(step.title, (revision) => {
        // edit() read the page again: a revision newer than the one decided on is somebody else's.
        if (revision.timestamp !== step.current.timestamp) {
          throw new DeployRefused(`refused: ${step.title} changed while deploying; run again`, [step]);
        }
        return { text: step.text, summary };
      });
    step.revid = outcome?.newrevid;
  }
  return { built, steps, user };
}

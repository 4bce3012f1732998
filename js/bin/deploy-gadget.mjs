#!/usr/bin/env node
// deploy-gadget: puts this package's single-file build, the ES5 loader and the Gadgets-definition line on a wiki's
// MediaWiki: pages (docs/gadget.md §2), logged in with a bot password, using the library's own login() and edit().
//
//   FW_DEPLOY_USER='Example@deploy' FW_DEPLOY_PASSWORD=… npx foreign-wasm-deploy-gadget --api https://wiki.example.org/w/api.php
//
//   --api URL      the wiki's api.php (required)
//   --dry-run      show what would change, as a diff; write nothing (no login needed)
//   --force        replace owned pages somebody else edited since the last deploy (the deploy refuses otherwise)
//   --trace        print every request (tokens masked)
// The bot password (Special:BotPasswords, grants: basic, edit existing pages, create pages, edit the site
// configuration) comes from FW_DEPLOY_USER / FW_DEPLOY_PASSWORD, never from the command line (shells keep history).
// Exit status: 0 deployed or nothing to do, 1 refused or failed, 2 bad usage.

import { ForeignApi, onTrace, shutdown } from '../dist/index.js';
import { deployGadget } from './deploy/deploy.mjs';
import { release } from './deploy/pages.mjs';

const USAGE = 'usage: deploy-gadget --api URL [--dry-run] [--force] [--trace]   (bot password in FW_DEPLOY_USER / FW_DEPLOY_PASSWORD)';

function parse(argv) {
  const options = { dryRun: false, force: false, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--api') options.api = argv[++i];
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--force') options.force = true;
    else if (arg === '--trace') options.trace = true;
    else return { error: `unknown argument ${arg}` };
  }
  if (!options.api || !/^https?:\/\/[^/]+\/.*api\.php$/.test(options.api)) return { error: '--api needs the wiki\'s api.php URL' };
  return options;
}

async function main() {
  const options = parse(process.argv.slice(2));
  if (options.error) {
    console.error(`${options.error}\n${USAGE}`);
    return 2;
  }
  const user = process.env.FW_DEPLOY_USER;
  const password = process.env.FW_DEPLOY_PASSWORD;
  if (!options.dryRun && (!user || !password)) {
    console.error(`a deploy logs in: set FW_DEPLOY_USER and FW_DEPLOY_PASSWORD (a bot password)\n${USAGE}`);
    return 2;
  }

  let requests = 0;
  onTrace((entry) => {
    if (entry.phase !== 'response' && entry.phase !== 'failure') return;
    requests++;
    if (options.trace) console.log(`  ${entry.method} ${entry.status ?? entry.phase} ${entry.displayUrl}`);
  });

  const { version } = release();
  const api = new ForeignApi(options.api, { userAgent: `foreign-wasm-deploy-gadget/${version}` });
  try {
    if (user && password) await api.login(user, password);
    const { built, steps } = await deployGadget(api, options);
    console.log(`foreign-wasm ${built.version}, dist/foreign-wasm.js sha256 ${built.buildHash}`);
    for (const step of steps) {
      const done = options.dryRun ? `would ${step.action}` : step.action === 'unchanged' ? 'unchanged' : `${step.action}d, revision ${step.revid}`;
      console.log(`${step.title}: ${step.action === 'conflict' ? 'conflict: changed by somebody else since the last deploy (a deploy refuses; --force replaces it)' : done}`);
      if (options.dryRun && step.diff) console.log(step.diff.replace(/^/gm, '    '));
    }
    console.log(`${requests} requests`);
    // A dry run that shows a conflict: the deploy itself would be refused.
    return steps.some((step) => step.action === 'conflict') ? 1 : 0;
  } catch (error) {
    console.error(`${error.name === 'DeployRefused' ? '' : `${error.name} ${error.code ?? ''}: `}${error.message}`);
    console.error(`${requests} requests`);
    return 1;
  } finally {
    await shutdown();
  }
}

process.exitCode = await main();

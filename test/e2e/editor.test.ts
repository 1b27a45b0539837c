// End to end in a real VS Code (code-server + headless Chromium), with the freshly built VSIX installed:
// asserts on what a user sees and saves a screenshot of each step to docs/images/.
// Run with `npm run test:e2e` (installs what it needs, packages the VSIX, then runs this file).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { findPythons } from '../support/pythons';
import { repoRoot } from '../support/root';
import { startCodeServer, type CodeServer } from './codeServer';
import { openFile, openWorkbench, runCommand, screenshot, seeFailure } from './workbench';

const root = repoRoot();
const images = join(root, 'docs', 'images');

const MISPLACED_AWAIT = `import asyncio


async def fetch(url):
    await asyncio.sleep(0.1)
    return url


def report(urls):
    pages = []
    for url in urls:
        pages.append(await fetch(url))
    return pages
`;

let server: CodeServer;
let browser: Browser;
let page: Page;

before(async () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `coroscope-${manifest.version}.vsix`);
  assert.ok(existsSync(vsix), `${vsix} is missing: run npm run package first`);
  const python = findPythons().at(-1);
  assert.ok(python, 'no Python ≥ 3.8 found');
  server = await startCodeServer(vsix, {
    'misplaced_await.py': MISPLACED_AWAIT,
    'producer_consumer.py': readFileSync(join(root, 'examples', 'producer_consumer.py'), 'utf8'),
  }, python.path);
  ({ browser, page } = await openWorkbench(server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const failureShot = (name: string) => join(root, 'out', 'e2e', `${name}.png`);

test('the Problems panel shows CORO100 for an await in a plain function', () => seeFailure(page, failureShot('coro100'), async () => {
  await openFile(page, 'misplaced_await.py');
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'CORO100' }).first();
  await row.waitFor({ timeout: 60_000 });
  const text = await row.innerText();
  assert.match(text, /await/);
  // The squiggle is in the editor too, on the `await` line (12).
  await page.locator('.editor-instance .squiggly-error').first().waitFor();
  await screenshot(page, join(images, 'problems-coro100.png'));
}));

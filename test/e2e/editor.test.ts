// End to end in a real VS Code (code-server + headless Chromium), with the freshly built VSIX installed:
// asserts on what a user sees and saves a screenshot of each step to docs/images/.
// Run with `npm run test:e2e` (installs what it needs, packages the VSIX, then runs this file).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { findPythons } from '../support/pythons';
import { repoRoot } from '../support/root';
import { poll, startCodeServer, type CodeServer } from './codeServer';
import { collapsePane, expandPane, goToLine, openFile, setSideBarWidth, openWorkbench, runCommand, screenshot, seeFailure, waitForStoppedAt } from './workbench';

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

const PRODUCER_CONSUMER = readFileSync(join(root, 'examples', 'producer_consumer.py'), 'utf8');
/** 1-based line of the consumer's `item = await queue.get()`. */
const QUEUE_GET_LINE = PRODUCER_CONSUMER.split('\n').findIndex((l) => l.includes('item = await queue.get()')) + 1;
/** 1-based lines of the producer's awaits (`queue.put`, `asyncio.sleep`). */
const PRODUCER_AWAIT_LINES = PRODUCER_CONSUMER.split('\n').flatMap((l, i) => /await (queue\.put|asyncio\.sleep)/.test(l) ? [i + 1] : []);

const LAUNCH_JSON = {
  version: '0.2.0',
  configurations: [
    { type: 'coroscope', request: 'launch', name: 'Coroscope: producer/consumer', program: '${workspaceFolder}/producer_consumer.py' },
  ],
};

const UNAWAITED = `import asyncio


async def save(record):
    await asyncio.sleep(0.1)


async def main():
    save({"id": 1})
    print("saved")


asyncio.run(main())
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
    'unawaited.py': UNAWAITED,
    'producer_consumer.py': PRODUCER_CONSUMER,
    'my_coroutine.py': readFileSync(join(root, 'examples', 'my_coroutine.py'), 'utf8'),
    '.vscode/launch.json': JSON.stringify(LAUNCH_JSON, null, 2),
  }, python.path);
  ({ browser, page } = await openWorkbench(server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Outside the repository: a concurrent build may wipe out/ while this suite runs.
const failureShot = (name: string) => join(tmpdir(), 'coroscope-e2e-failures', `${name}.png`);

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

test('CORO110 for a coroutine never awaited: Problems entry, and the quick fix inserts await', () => seeFailure(page, failureShot('coro110'), async () => {
  await openFile(page, 'unawaited.py');
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'CORO110' }).first();
  await row.waitFor({ timeout: 60_000 });
  assert.match(await row.innerText(), /save/);

  // Quick fix from the editor, as a user does: cursor on the call, Ctrl+. , pick "Add `await`".
  const callLine = UNAWAITED.split('\n').findIndex((l) => l.includes('save({')) + 1;
  await goToLine(page, callLine, 5);
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: /Add .await./ }).first();
  await fix.waitFor();
  await screenshot(page, join(images, 'quick-fix-await.png'));
  await fix.click();
  await page.locator('.editor-instance .view-line', { hasText: 'await save({' }).first().waitFor();
}));

test('debugging the seed example lists its tasks as threads and shows their variables', () => seeFailure(page, failureShot('debug'), async () => {
  assert.ok(QUEUE_GET_LINE > 0);
  await openFile(page, 'producer_consumer.py');
  await goToLine(page, QUEUE_GET_LINE);
  await page.keyboard.press('F9');
  await page.locator('.editor-instance .codicon-debug-breakpoint').first().waitFor();

  await setSideBarWidth(page, 480);
  await page.keyboard.press('F5');
  // The first stop is before the consumer has taken anything; the second has `item` in its locals.
  const callStack = page.locator('.debug-call-stack');
  await callStack.locator('.monaco-list-row', { hasText: /consumer/ }).first().waitFor({ timeout: 60_000 });
  await page.locator('.debug-toolbar').waitFor();
  await waitForStoppedAt(page, QUEUE_GET_LINE);
  await page.keyboard.press('F5');
  await waitForStoppedAt(page, QUEUE_GET_LINE);

  // The Call Stack list is virtualised: give it room so every thread row is rendered.
  for (const pane of ['Watch', 'Breakpoints']) await collapsePane(page, pane);
  const threadNames = await callStack.locator('.monaco-list-row .thread').allInnerTexts();
  for (const task of ['main', 'producer', 'consumer']) {
    assert.ok(threadNames.some((name) => name.includes(task)), `no ${task} task among threads: ${threadNames.join(' | ')}`);
  }
  const variables = page.locator('.debug-variables .monaco-list-row');
  const locals = variables.filter({ hasText: /^Locals$/ }).first();
  const item = variables.filter({ hasText: /^item/ }).first();
  // VS Code expands the first scope by itself, sometimes just after we looked, so a click can collapse it
  // again: click only a collapsed Locals, give the tree a moment, and look again.
  for (let attempt = 0; attempt < 5 && !(await item.isVisible()); attempt++) {
    if (await locals.getAttribute('aria-expanded') === 'false') await locals.click();
    await item.waitFor({ timeout: 5000 }).catch(() => undefined);
  }
  await item.waitFor();

  // The Async Tasks view lists the same tasks.
  const tasksView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Async Tasks' }) });
  const tasksHeader = tasksView.locator('.pane-header');
  if (await tasksHeader.getAttribute('aria-expanded') !== 'true') await tasksHeader.click();
  await tasksView.locator('.monaco-list-row', { hasText: 'consumer()' }).first().waitFor();
  await screenshot(page, join(images, 'debug-tasks.png'));

  // Show Task Tree opens the tree as a read-only document with links to the source.
  await runCommand(page, 'Coroscope: Show Task Tree');
  await page.locator('.tabs-container .tab.active', { hasText: 'tasks.coroscope-tasks' }).waitFor();
  const documentText = await page.locator('.editor-instance .view-lines').first().innerText();
  for (const task of ['main()', 'producer()', 'consumer()']) assert.ok(documentText.includes(task), `${task} missing from:\n${documentText}`);
  assert.match(documentText, new RegExp(`producer_consumer\\.py:${QUEUE_GET_LINE}`));
  await screenshot(page, join(images, 'task-tree.png'));

  await page.keyboard.press('Shift+F5');
  await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
}));

test('Break on suspend sets suspend breakpoints on the producer, and the session stops when it suspends', () => seeFailure(page, failureShot('lens'), async () => {
  await stopSession(page);
  await runCommand(page, 'Remove All Breakpoints');
  await openFile(page, 'producer_consumer.py');
  await runCommand(page, 'View: Show Run and Debug');
  // Its Start Debugging button takes focus and shows a tooltip a moment later; wait for it so the pane
  // helpers below can close it instead of racing it.
  await page.locator('.context-view .hover-contents').first().waitFor({ timeout: 3000 }).catch(() => undefined);
  await setSideBarWidth(page, 480);
  // Room for what this step is about: the Call Stack's stop reason and the Breakpoints list.
  for (const pane of ['Variables', 'Watch']) await collapsePane(page, pane);
  await expandPane(page, 'Breakpoints');

  await clickTopLens(page, 'Break on suspend');

  // One breakpoint per suspend point of the producer, listed in the Breakpoints view by line.
  const rows = page.locator('.debug-breakpoints .monaco-list-row', { hasText: 'producer_consumer.py' });
  await poll('both producer breakpoints in the Breakpoints view', async () => (await rows.count()) === PRODUCER_AWAIT_LINES.length, 30_000);
  const listed = (await rows.locator('.line-number').allInnerTexts()).map((t) => Number.parseInt(t, 10)).sort((a, b) => a - b);
  assert.deepEqual(listed, PRODUCER_AWAIT_LINES);
  // The marker after each of those lines names the mode VS Code's own UI cannot show.
  await poll('the "breaks on suspend" markers', async () => (await afterDecorations(page)).filter((t) => t.includes('breaks on suspend')).length === PRODUCER_AWAIT_LINES.length, 30_000);

  await page.keyboard.press('F5');
  await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
  await page.locator('.editor-instance .codicon-debug-stackframe').first().waitFor({ timeout: 60_000 });
  // The adapter's description of a suspend stop is the thread's state in the Call Stack.
  await page.locator('.debug-call-stack .monaco-list-row .state', { hasText: /task suspending at await/i }).first().waitFor({ timeout: 30_000 });
  const cursor = await page.locator('.statusbar-item', { hasText: /Ln \d+,/ }).first().innerText();
  const stoppedLine = Number(/Ln (\d+),/.exec(cursor)?.[1]);
  assert.ok(PRODUCER_AWAIT_LINES.includes(stoppedLine), `stopped on line ${stoppedLine}, not on a producer await (${PRODUCER_AWAIT_LINES.join(', ')})`);
  // The Async Tasks view refreshes on the stop too: the screenshot shows it filled in.
  await expandPane(page, 'Async Tasks');
  const tasksView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Async Tasks' }) });
  await tasksView.locator('.monaco-list-row', { hasText: 'producer()' }).first().waitFor({ timeout: 30_000 });
  await page.mouse.move(5, 400);
  await screenshot(page, join(images, 'suspend-breakpoints.png'));
  await stopSession(page);
}));

test('Break on resume switches the lens breakpoints; their mode survives a reload and goes with them', () => seeFailure(page, failureShot('lens-switch'), async () => {
  await openFile(page, 'producer_consumer.py');
  const markerCount = async (words: string) => (await afterDecorations(page)).filter((t) => t.includes(words)).length;
  // Left by the previous test; set them here if it failed before setting them.
  if (await markerCount('breaks on suspend') !== PRODUCER_AWAIT_LINES.length) await clickTopLens(page, 'Break on suspend');
  await poll('the suspend markers', async () => await markerCount('breaks on suspend') === PRODUCER_AWAIT_LINES.length, 30_000);

  await clickTopLens(page, 'Break on resume');
  await poll('the markers to say resume', async () => await markerCount('breaks on resume') === PRODUCER_AWAIT_LINES.length && await markerCount('breaks on suspend') === 0, 30_000);
  const rows = page.locator('.debug-breakpoints .monaco-list-row', { hasText: 'producer_consumer.py' });
  assert.equal(await rows.count(), PRODUCER_AWAIT_LINES.length, 'switching must replace the breakpoints, not add more');

  // VS Code keeps breakpoint ids across a reload, and the extension its record of their modes. Reload
  // Window, not a page reload: only a proper shutdown flushes both to storage.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>Developer: Reload Window');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor();
  await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.keyboard.press('Enter')]);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
  await openFile(page, 'producer_consumer.py');
  await poll('the resume markers after a reload', async () => await markerCount('breaks on resume') === PRODUCER_AWAIT_LINES.length, 60_000);

  // Removing the breakpoints forgets their mode: the markers go back to a plain sign.
  await runCommand(page, 'Remove All Breakpoints');
  await poll('the mode words to go', async () => await markerCount('breaks on') === 0 && (await afterDecorations(page)).length > 0, 30_000);
}));

test('F5 on a Python file without launch.json debugs it with Coroscope', () => seeFailure(page, failureShot('f5'), async () => {
  await stopSession(page);
  // Without launch.json, F5 asks the configuration provider, which debugs the current file.
  rmSync(join(server.workspace, '.vscode'), { recursive: true, force: true });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.vscode' }).waitFor({ state: 'detached' });
  await openFile(page, 'my_coroutine.py');
  await page.keyboard.press('F5');
  // With other Python debuggers installed VS Code would ask which one; here Coroscope is the only one.
  const picker = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Python asyncio (Coroscope)' }).first();
  const output = page.locator('.repl .monaco-list-row', { hasText: 'Coroutine resumed' }).first();
  await picker.or(output).waitFor({ timeout: 60_000 });
  if (await picker.isVisible()) await picker.click();
  await output.waitFor({ timeout: 60_000 });
  // The program ends by itself: the session goes away.
  await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
}));

test('activation time is measured: our own log line and VS Code\'s Running Extensions', () => seeFailure(page, failureShot('activation'), async () => {
  await openFile(page, 'my_coroutine.py');
  // LogOutputChannel writes to a file under the user data folder's logs: read it as a user would.
  let activated: RegExpExecArray | null | undefined;
  await poll('the activation line in Coroscope.log', () => {
    activated = findFiles(join(server.userData, 'logs'), (f) => f.endsWith('Coroscope.log'))
      .map((f) => /activated in ([\d.]+) ms/.exec(readFileSync(f, 'utf8'))).find(Boolean);
    return Boolean(activated);
  }, 30_000);
  assert.ok(activated);
  // VS Code's own measure also counts loading the bundle (codeLoadingTime + activateCallTime). Reported,
  // not asserted: this machine's load makes them noisy (docs/performance.md has the measured values).
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Coroscope' }).first();
  const time = row.locator('.activation-time');
  // The list is sorted slowest first and virtualised: scroll until our row is rendered.
  const list = page.locator('.runtime-extensions-editor .monaco-list').first();
  await list.waitFor({ timeout: 30_000 });
  await list.hover();
  for (let i = 0; i < 30 && !(await time.isVisible()); i++) {
    await page.mouse.wheel(0, 200);
    await time.waitFor({ timeout: 500 }).catch(() => undefined);
  }
  await time.waitFor({ timeout: 10_000 });
  const shown = await time.innerText();
  assert.match(shown, /\d+\s*ms/);
  console.log(`extension activation: activate() ${activated[1]} ms (goal ≤ 50 ms); Running Extensions (code loading + activate): ${shown}`);
  await page.keyboard.press('Escape');
}));

/** Ends a debug session if one runs (a failed test may leave one, and F5 would then mean Continue). */
async function stopSession(page: Page): Promise<void> {
  if (!(await page.locator('.debug-toolbar').isVisible())) return;
  await page.keyboard.press('Shift+F5');
  await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
}

/** Clicks the lens action `title` of the file's first async def (the producer), scrolled to the top. */
async function clickTopLens(page: Page, title: string): Promise<void> {
  await goToLine(page, 1);
  // Only the active editor's lenses that are shown: an inactive editor keeps its own (hidden) ones.
  const actions = page.locator('.editor-group-container.active .editor-instance .codelens-decoration a', { hasText: title }).filter({ visible: true });
  await actions.first().waitFor({ timeout: 60_000 });
  const boxes = await Promise.all((await actions.all()).map(async (a) => ({ a, y: (await a.boundingBox())?.y ?? Infinity })));
  boxes.sort((x, y) => x.y - y.y);
  await boxes[0].a.click();
}

/** The text of every `after` decoration in the visible editor (VS Code renders them as ::after content). */
function afterDecorations(page: Page): Promise<string[]> {
  // A string, evaluated in the page: the tests are compiled without the DOM library.
  return page.evaluate<string[]>(`[...document.querySelectorAll('.editor-instance .view-lines span[class*="ced-"]')]
    .map((e) => getComputedStyle(e, '::after').content)
    .filter((c) => c && c !== 'none')`);
}

function findFiles(dir: string, predicate: (file: string) => boolean): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? findFiles(full, predicate) : predicate(full) ? [full] : [];
  });
}

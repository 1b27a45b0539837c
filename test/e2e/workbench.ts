// Drives the VS Code workbench served by code-server the way a user does: keyboard shortcuts, the
// command palette, Quick Open. Selectors are the workbench's own stable class names.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.COROSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** A browser with one page showing the workbench at `url`. */
export async function openWorkbench(url: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer lists the workspace once the file service is up: the workbench is usable from then on.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  return { browser, page };
}

/** Runs a command by its title from the command palette (F1). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  // F1 opens the command palette; without its `>` prefix the same box is Quick Open (Go to File).
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-instance .view-lines').first().waitFor();
}

/** Moves the cursor of the active editor to a 1-based line and column (Go to Line, `:line:column`). */
export async function goToLine(page: Page, line: number, column?: number): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(column ? `:${line}:${column}` : `:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col ${column ?? ''}`) }).first().waitFor();
}

/** Waits until the debugger is paused with the top frame's line highlighted at `line` (1-based). */
export async function waitForStoppedAt(page: Page, line: number): Promise<void> {
  // The current-statement decoration sits in the glyph margin of the stopped line; the status bar shows
  // the cursor, which VS Code moves to the stopped line.
  await page.locator('.editor-instance .codicon-debug-stackframe').first().waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line},`) }).first().waitFor({ timeout: 60_000 });
}

/**
 * Closes a hover that would cover a pane header: showing Run and Debug focuses its Start Debugging button,
 * whose tooltip then hangs over the first pane and stays while it has focus, whatever the pointer does.
 */
async function dismissHovers(page: Page): Promise<void> {
  const editor = await page.locator('.part.editor').boundingBox();
  if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
  const hover = page.locator('.context-view .hover-contents');
  for (let attempt = 0; attempt < 3 && await hover.first().isVisible(); attempt++) {
    await page.keyboard.press('Escape');
    await hover.first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
  }
}

/** Collapses a side bar pane (Watch, Breakpoints, ...) by its title, if it is expanded. */
export async function collapsePane(page: Page, title: string): Promise<void> {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^${title}`) }).first();
  if (await header.getAttribute('aria-expanded') !== 'true') return;
  await dismissHovers(page);
  await header.click();
}

/** Expands a side bar pane by its title, if it is collapsed. */
export async function expandPane(page: Page, title: string): Promise<void> {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^${title}`) }).first();
  await header.waitFor();
  if (await header.getAttribute('aria-expanded') === 'true') return;
  await dismissHovers(page);
  await header.click();
}

/** Drags the sash between the side bar and the editor so the side bar is `width` pixels wide. */
export async function setSideBarWidth(page: Page, width: number): Promise<void> {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (!sideBar) throw new Error('the side bar is not visible');
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(sideBar.x + sideBar.width, y);
  await page.mouse.down();
  await page.mouse.move(sideBar.x + width, y, { steps: 5 });
  await page.mouse.up();
  // A pointer left on the sash keeps it highlighted in screenshots.
  await page.mouse.move(sideBar.x + width + 300, y);
}

/** Runs `step`; on failure saves a screenshot next to the test output so the failure can be seen. */
export async function seeFailure<T>(page: Page, file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await screenshot(page, file).catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot: ${file})`);
  }
}

/** Saves a screenshot of the whole window. */
export async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

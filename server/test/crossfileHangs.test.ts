// CORO201 and CORO200 across files: the fixture tree server/test/fixtures/CORO201-crossfile/ (a
// package with re-exports, relative and absolute imports, `import a.b as c`, a star export, a chain
// through three modules and a recursion across two) through the analysis core and the CLI; related
// information pointing into the other file; verdicts independent of which module is asked first; and
// the language server refreshing a dependant when the verdict in the other file changes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { analyze, initAnalysis, type Diagnostic } from '../src/analysis';
import { ProjectEndings } from '../src/analysis/crossEndings';
import { WorkspaceModules } from '../src/project/workspace';
import { readFixture } from './support/fixtures';
import { LspClient } from './support/lspClient';
import { repoRoot } from './support/root';

const TREE = join(repoRoot(), 'server/test/fixtures/CORO201-crossfile');
const SELECT = ['CORO200', 'CORO201'];

function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pythonFiles(join(dir, e.name)) : e.name.endsWith('.py') ? [join(dir, e.name)] : []).sort();
}

/** `file:line:CODE` for every expectation of the tree (paths relative to it). */
function expectations(root: string): string[] {
  return pythonFiles(root).flatMap((f) => readFixture(f, basename(f)).expected.map((e) => {
    const [line, code] = e.split(':');
    return `${relative(root, f)}:${line}:${code}`;
  })).sort();
}

/**
 * The warnings (not the Unnecessary hints that only grey code out) of one file. `share: false` keeps the
 * analysis from taking the workspace's parse of the file and from offering its own.
 */
function check(workspace: WorkspaceModules, file: string, share = true): Diagnostic[] {
  const project = workspace.contextFor(file);
  if (!share) { delete project.parsedTree; delete project.parsed; }
  return analyze(readFileSync(file, 'utf8'), { select: SELECT, project, throwOnRuleError: true })
    .filter((d) => d.severity !== 'hint');
}

describe('CORO201 and CORO200 across modules', () => {
  let dir: string;
  before(async () => {
    await initAnalysis();
    // A copy: the language server test edits files.
    dir = mkdtempSync(join(tmpdir(), 'coroscope-xhang-'));
    cpSync(TREE, dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every expectation of the fixture tree, and nothing else', () => {
    const workspace = new WorkspaceModules();
    const actual = pythonFiles(dir).flatMap((f) => check(workspace, f).map((d) => `${relative(dir, f)}:${d.range.start.line + 1}:${d.code}`)).sort();
    const expected = expectations(dir);
    assert.ok(expected.length >= 15, 'the tree expects findings');
    assert.deepEqual(actual, expected);
  });

  test('related information points at the loop responsible, in the other file', () => {
    const workspace = new WorkspaceModules();
    const found = check(workspace, join(dir, 'app.py'));
    const gather = found.find((d) => d.code === 'CORO201' && d.message.includes('gather'))!;
    assert.match(gather.message, /`consumer\(\)` \(shop\.workers\) never returns: `while True` never exits/);
    const workers = readFileSync(join(dir, 'shop/workers.py'), 'utf8').split('\n');
    const [where] = gather.related!;
    assert.equal(where.file, join(dir, 'shop/workers.py'));
    assert.equal(where.range.start.line, workers.indexOf('    while True:'), 'the `while True` of consumer()');
    // Two modules away: relay() in shop/more.py hangs because spin() in shop/jobs/deep.py loops.
    const relay = found.find((d) => d.code === 'CORO201' && d.message.includes('relay'))!;
    assert.equal(relay.related![0].file, join(dir, 'shop/more.py'));
    // CORO200 after an imported function that always raises names the raise in its module.
    const afterFail = found.find((d) => d.code === 'CORO200' && d.message.includes('fail('))!;
    assert.ok(afterFail.related!.some((r) => r.file === join(dir, 'shop/workers.py') && r.range.start.line === workers.indexOf('    raise RuntimeError(message)')), JSON.stringify(afterFail.related));
  });

  test('verdicts do not depend on which function of a recursion across modules is asked first', () => {
    const ask = (order: string[]) => {
      const workspace = new WorkspaceModules();
      workspace.addRoot(dir);
      const answers = new Map(order.map((q) => [q, workspace.endings.ending(q)]));
      return ['shop.jobs.ping.ping', 'shop.jobs.pong.pong'].map((q) => answers.get(q));
    };
    const forward = ask(['shop.jobs.ping.ping', 'shop.jobs.pong.pong']);
    const backward = ask(['shop.jobs.pong.pong', 'shop.jobs.ping.ping']);
    assert.deepEqual(forward, backward);
    assert.deepEqual(forward.map((e) => e?.kind), ['hangs', 'hangs']);
  });

  test('the same verdicts when every parsed module is dropped between questions, and after invalidate()', () => {
    const workspace = new WorkspaceModules();
    workspace.addRoot(dir);
    const source = { fileOf: (m: string) => workspace.fileOf(m), textOf: (f: string) => readFileSync(f, 'utf8') };
    const names = ['shop.workers.consumer', 'shop.workers.fail', 'shop.workers.Listener.listen', 'shop.relay', 'shop.jobs.pong.pong', 'shop.workers.producer'];
    const kept = new ProjectEndings(source);
    const dropped = new ProjectEndings(source, 0);
    const expected = names.map((q) => kept.ending(q));
    assert.deepEqual(names.map((q) => dropped.ending(q)), expected);
    assert.deepEqual(expected.map((e) => e?.kind), ['hangs', 'raises', 'hangs', 'hangs', 'hangs', undefined]);
    assert.equal(dropped.invalidate(join(dir, 'app.py'), 'app'), false, 'no verdict read app.py');
    assert.equal(dropped.invalidate(join(dir, 'shop/workers.py'), 'shop.workers'), true);
    assert.deepEqual(names.map((q) => dropped.ending(q)), expected);
  });

  test('the analysis and the verdicts share parses, with the findings of separate parses', () => {
    const files = pythonFiles(dir);
    const run = (order: string[], share: boolean) => {
      const workspace = new WorkspaceModules();
      const found = new Map(order.map((f) => [f, JSON.stringify(check(workspace, f, share))]));
      return files.map((f) => found.get(f));
    };
    const expected = run(files, false);
    assert.deepEqual(run(files, true), expected);
    assert.deepEqual(run([...files].reverse(), true), expected);
    assert.deepEqual(run([...files].reverse(), false), expected);

    // app.py's questions parse shop/workers.py; its own analysis then takes that tree, of that text only.
    const app = join(dir, 'app.py'), workers = join(dir, 'shop/workers.py');
    const workspace = new WorkspaceModules();
    check(workspace, app);
    const text = readFileSync(workers, 'utf8');
    assert.ok(workspace.endings.treeFor('shop.workers', text), 'the verdicts kept shop/workers.py parsed');
    assert.equal(workspace.endings.treeFor('shop.workers', text + '\n'), undefined, 'not for another text');
    const project = workspace.contextFor(workers);
    let taken = false;
    const parsedTree = project.parsedTree!;
    project.parsedTree = (t) => { const tree = parsedTree(t); taken ||= tree !== undefined; return tree; };
    analyze(text, { select: SELECT, project });
    assert.ok(taken, 'the analysis of shop/workers.py took the kept tree');

    // The other way round: the tree shop/workers.py's analysis made serves app.py's questions.
    const parsesAfter = (share: boolean) => {
      const w = new WorkspaceModules();
      check(w, workers, share);
      check(w, app);
      return w.endings.parses;
    };
    assert.equal(parsesAfter(true), parsesAfter(false) - 1, 'the offered tree of shop/workers.py spared its parse');
  });

  test('the CLI reports the same findings', () => {
    const r = spawnSync(process.execPath, [join(repoRoot(), 'dist/cli.js'), 'check', '.', '--select', SELECT.join(','), '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const found = JSON.parse(r.stdout).map((f: { file: string; line: number; code: string }) => `${f.file}:${f.line}:${f.code}`).sort();
    assert.deepEqual(found, expectations(dir));
  });

  /** app.py (awaiting shop.workers' consumer, which never returns) and shop/workers.py as the editor sees them. */
  function editorFiles() {
    const appText = readFileSync(join(dir, 'app.py'), 'utf8');
    const direct = appText.split('\n').findIndex((l) => l.includes('await w.consumer(queue)'));
    return {
      app: pathToFileURL(join(dir, 'app.py')).href,
      workers: pathToFileURL(join(dir, 'shop/workers.py')).href,
      appText,
      workersText: readFileSync(join(dir, 'shop/workers.py'), 'utf8'),
      direct,
      hangsAt: (p: { diagnostics: { code?: unknown; range: { start: { line: number } } }[] }) =>
        p.diagnostics.some((d) => d.code === 'CORO201' && d.range.start.line === direct),
    };
  }

  /** Starts the server and opens app.py, whose first diagnostics show the await that never completes. */
  async function openApp(client: LspClient) {
    await client.initialize();
    const files = editorFiles();
    await client.open(files.app, files.appText);
    return { ...files, first: await client.waitForDiagnostics(files.app, files.hangsAt) };
  }

  test('the server refreshes a dependant when the other file\'s verdict changes', async () => {
    const client = new LspClient();
    try {
      const { app, workers, workersText, direct, hangsAt, first } = await openApp(client);
      const diagnostic = first.diagnostics.find((d) => d.code === 'CORO201' && d.range.start.line === direct)!;
      assert.deepEqual(diagnostic.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[workers, workersText.split('\n').indexOf('    while True:')]]);
      // The consumer gets a way out in the (unsaved) editor buffer: the await can complete now.
      await client.open(workers, workersText);
      let mark = client.published.length;
      const fixed = workersText.replace('        print(f"Consumed: {item}")', '        if item is None:\n            break');
      await client.change(workers, 2, fixed);
      await client.waitForDiagnostics(app, (p) => !hangsAt(p), mark);
      // And back: the finding returns.
      mark = client.published.length;
      await client.change(workers, 3, workersText);
      await client.waitForDiagnostics(app, hangsAt, mark);
    } finally {
      await client.shutdown();
    }
  });

  test('typing in a module others depend on re-checks them once the typing pauses, not per keystroke', async () => {
    const client = new LspClient();
    try {
      const { app, workers, workersText, hangsAt } = await openApp(client);
      await client.open(workers, workersText);
      await client.waitForDiagnostics(workers, () => true);
      // 40 keystrokes typing a comment, then the one that gives the consumer a way out.
      const mark = client.published.length;
      const keystrokes = 40;
      for (let i = 1; i <= keystrokes; i++) await client.change(workers, 1 + i, `${workersText}\n# ${'x'.repeat(i)}`);
      const fixed = workersText.replace('        print(f"Consumed: {item}")', '        if item is None:\n            break');
      await client.change(workers, keystrokes + 2, fixed);
      await client.waitForDiagnostics(app, (p) => !hangsAt(p), mark);
      // The edited module got its own results for the typing; the dependant was re-checked a few times
      // at most (a pause longer than the delay on a loaded machine), not once per keystroke.
      await client.waitForDiagnostics(workers, () => true, mark);
      const appChecks = client.published.slice(mark).filter((p) => p.uri === app).length;
      assert.ok(appChecks < keystrokes / 4, `app.py re-checked ${appChecks} times for ${keystrokes + 1} keystrokes`);
    } finally {
      await client.shutdown();
    }
  });
});

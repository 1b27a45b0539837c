// The debug adapter as VS Code drives it: DebugClient against dist/debugAdapter.js launching real Python
// under the Coroscope runtime, once per interpreter found (3.8–3.13 here), with golden transcripts of
// what the Call Stack and Variables views would show.
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { findPythons } from '../../test/support/pythons';
import { Client, adapterPath, fixture, launchAndStop, markerLine, nextStop, withClient } from './support/dap';
import { assertGolden, renderStop } from './support/golden';
import { repoRoot } from './support/root';

const pythons = findPythons();
const seed = fixture('producer_consumer.py');
const seedSource = readFileSync(seed, 'utf8');

/** Programs started by the attach tests; killed however this file ends, so none outlives a failed run. */
const started = new Set<ChildProcess>();
process.on('exit', () => { for (const child of started) child.kill('SIGKILL'); });

/** Spawns `python -m coroscope --listen ... --wait-for-client` for an attach test. */
function spawnListening(python: string, args: string[], env: NodeJS.ProcessEnv, stdout: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
  const child = spawn(python, ['-m', 'coroscope', '--listen', '127.0.0.1:0', ...args], {
    env: { ...process.env, PYTHONPATH: join(repoRoot(), 'debugger', 'python'), ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Resolves with the first match of `pattern` in a child's stderr. */
function readStderr(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${text}`)));
  });
}

test('at least one supported Python interpreter is available', () => {
  assert.ok(pythons.length > 0, 'no Python ≥ 3.8 found (set $PYTHON or $PYTHONS)');
});

for (const py of pythons) {
  describe(`DAP with Python ${py.version}`, () => {
    test('stopOnEntry stops on the first line; threads lists the main thread first', () => withClient(async (client) => {
      const stop = await launchAndStop(client, { program: seed, python: py.path, stopOnEntry: true });
      assert.equal(stop.body.reason, 'entry');
      const threads = (await client.threadsRequest()).body.threads;
      assert.equal(threads[0].id, stop.body.threadId, 'the stopped thread comes first');
      assert.match(threads[0].name, /^MainThread/);
      const top = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames[0];
      assert.equal(top.source?.path, seed);
      assert.equal(top.line, markerLine(seedSource, 'FIRST_LINE'));
      assertGolden('stop-on-entry', await renderStop(client, stop));
      await client.disconnectRequest({ terminateDebuggee: true });
    }));

    test('a line breakpoint in the consumer: every task a thread, coroutine frames, locals, evaluate', () => withClient(async (client) => {
      const printLine = markerLine(seedSource, 'CONSUMER_PRINT');
      const stop = await launchAndStop(client, { program: seed, python: py.path }, [{ path: seed, lines: [printLine] }]);
      assert.equal(stop.body.reason, 'breakpoint');
      const threadId = stop.body.threadId as number;

      const threads = (await client.threadsRequest()).body.threads;
      const names = threads.map((t) => t.name);
      assert.equal(threads[0].id, threadId, 'the stopped task comes first');
      assert.match(threads[0].name, /^Task-\d+ consumer\(\) ▶ running$/);
      assert.ok(names.some((n) => /^Task-\d+ main\(\) ⏸/.test(n)), names.join(' | '));
      assert.ok(names.some((n) => /^Task-\d+ producer\(\) ⏸/.test(n)), names.join(' | '));
      assert.ok(names.includes('MainThread · event loop'), names.join(' | '));

      const stack = (await client.stackTraceRequest({ threadId })).body;
      const [top] = stack.stackFrames;
      assert.equal(top.name, 'consumer');
      assert.equal(top.line, printLine);
      assert.equal(top.source?.path, seed);
      // The await stack continues into the task that awaits the consumer (main, through gather), then
      // says where the consumer was created.
      const frameNames = stack.stackFrames.map((f) => f.name);
      const separator = frameNames.findIndex((n) => /^awaited by Task-\d+ main\(\) via gather$/.test(n));
      assert.ok(separator > 0, frameNames.join(' | '));
      assert.equal(stack.stackFrames[separator].presentationHint, 'label');
      assert.equal(frameNames[separator + 1], 'main');
      assert.match(frameNames[frameNames.length - 1], /^created at producer_consumer\.py:\d+ in main\(\)$/);
      assert.equal(stack.totalFrames, frameNames.length);
      // Delayed loading: the first frame alone, then the rest, add up to the same stack.
      const first = (await client.stackTraceRequest({ threadId, startFrame: 0, levels: 1 })).body;
      const rest = (await client.stackTraceRequest({ threadId, startFrame: 1, levels: 100 })).body;
      assert.deepEqual([...first.stackFrames, ...rest.stackFrames].map((f) => f.name), frameNames);
      assert.equal(first.totalFrames, frameNames.length);
      // The awaiting task's frame is a real frame: its locals are there.
      const mainScopes = (await client.scopesRequest({ frameId: stack.stackFrames[separator + 1].id })).body.scopes;
      const mainLocals = (await client.variablesRequest({ variablesReference: mainScopes[0].variablesReference })).body.variables;
      assert.ok(mainLocals.some((v) => v.name === 'queue'), JSON.stringify(mainLocals));
      // The Task scope describes the consumer's task.
      const task = (await client.scopesRequest({ frameId: top.id })).body.scopes.find((sc) => sc.name === 'Task');
      assert.ok(task);
      const fields = Object.fromEntries((await client.variablesRequest({ variablesReference: task.variablesReference })).body.variables.map((v) => [v.name, v.value]));
      assert.equal(fields.state, 'running');
      assert.match(fields['awaited by'], /^Task-\d+ main\(\) \(gather\)$/);
      const evaluation = await client.evaluateRequest({ expression: 'item + 40', frameId: top.id, context: 'repl' });
      assert.equal(evaluation.body.result, '40');
      await assert.rejects(client.evaluateRequest({ expression: 'no_such_name', frameId: top.id, context: 'repl' }), /NameError/);

      assertGolden('breakpoint-in-consumer', await renderStop(client, stop, { allStacks: true }));

      // Without the breakpoint the program runs to its end: output and exit code arrive, in order.
      await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [] });
      const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const terminated = client.waitForEvent('terminated');
      await client.continueRequest({ threadId });
      assert.equal((await exited).body.exitCode, 0);
      await terminated;
      assert.equal(client.text('stdout'), 'Consumed: 0\nConsumed: 1\nConsumed: 2\ndone\n');
    }));

    test('a conditional breakpoint in the producer: the suspended consumer shows its frame at the await', () => withClient(async (client) => {
      const sleepLine = markerLine(seedSource, 'PRODUCER_SLEEP');
      const stopped = nextStop(client);
      stopped.catch(() => undefined);
      await Promise.all([
        client.waitForEvent('initialized').then(async () => {
          const set = await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [{ line: sleepLine, condition: 'i == 1' }] });
          assert.equal(set.body.breakpoints[0].verified, true);
          await client.configurationDoneRequest();
        }),
        client.launch({ program: seed, python: py.path }),
      ]);
      const stop = await stopped;
      const threads = (await client.threadsRequest()).body.threads;
      const consumer = threads.find((t) => /consumer\(\)/.test(t.name));
      assert.ok(consumer, JSON.stringify(threads));
      assert.match(consumer.name, /⏸/);
      const frames = (await client.stackTraceRequest({ threadId: consumer.id })).body.stackFrames;
      const frame = frames.find((f) => f.name === 'consumer');
      assert.ok(frame, JSON.stringify(frames));
      assert.equal(frame.line, markerLine(seedSource, 'CONSUMER_GET'));
      // Selecting the suspended task's frame shows its locals (item from the previous round).
      const locals = (await client.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Locals');
      assert.ok(locals);
      const item = (await client.variablesRequest({ variablesReference: locals.variablesReference })).body.variables.find((v) => v.name === 'item');
      assert.equal(item?.value, '0');
      assertGolden('conditional-breakpoint-in-producer', await renderStop(client, stop, { allStacks: true }));
      await client.disconnectRequest({ terminateDebuggee: true });
    }));

    test('"On resume" on `item = await queue.get()` stops after the await with the value; "On suspend" stops as the producer suspends', () => withClient(async (client) => {
      const getLine = markerLine(seedSource, 'CONSUMER_GET');
      const sleepLine = markerLine(seedSource, 'PRODUCER_SLEEP');
      const stopped = nextStop(client);
      stopped.catch(() => undefined);
      await Promise.all([
        client.waitForEvent('initialized').then(async () => {
          const set = await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [{ line: getLine, mode: 'resume' }] });
          assert.equal(set.body.breakpoints[0].verified, true);
          await client.configurationDoneRequest();
        }),
        client.launch({ program: seed, python: py.path }),
      ]);
      const resumed = await stopped;
      assert.equal(resumed.body.reason, 'breakpoint');
      assert.equal(resumed.body.description, 'Task resumed after await');
      const threadId = resumed.body.threadId as number;
      const threads = (await client.threadsRequest()).body.threads;
      assert.match(threads[0].name, /consumer\(\)/);
      for (const coroutine of ['main', 'producer', 'consumer']) assert.ok(threads.some((t) => t.name.includes(`${coroutine}()`)), coroutine);
      const frames = (await client.stackTraceRequest({ threadId })).body.stackFrames;
      assert.equal(frames[0].name, 'consumer');
      assert.equal(frames[0].line, getLine + 1, 'stopped before the line after the await runs');
      assert.ok(frames.some((f) => /^awaited by Task-\d+ main\(\)/.test(f.name)));
      const locals = (await client.scopesRequest({ frameId: frames[0].id })).body.scopes[0];
      const item = (await client.variablesRequest({ variablesReference: locals.variablesReference })).body.variables.find((v) => v.name === 'item');
      assert.equal(item?.value, '1', 'the awaited value (the first get() did not suspend: 0 was already queued)');
      assertGolden('resume-breakpoint-on-get', await renderStop(client, resumed));

      // Now swap it for an "On suspend" breakpoint on the producer's sleep.
      await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [{ line: sleepLine, mode: 'suspend' }] });
      const next = nextStop(client);
      await client.continueRequest({ threadId });
      const suspending = await next;
      assert.equal(suspending.body.description, 'Task suspending at await');
      const producerFrames = (await client.stackTraceRequest({ threadId: suspending.body.threadId as number })).body.stackFrames;
      assert.equal(producerFrames[0].name, 'producer');
      assert.equal(producerFrames[0].line, sleepLine);
      assert.ok(producerFrames.some((f) => f.presentationHint === 'label' && /suspending: awaiting sleep/.test(f.name)), JSON.stringify(producerFrames.map((f) => f.name)));
      await client.disconnectRequest({ terminateDebuggee: true });
    }));

    test('step over an await stays in its task while the other tasks run', () => withClient(async (client) => {
      const sleepLine = markerLine(seedSource, 'PRODUCER_SLEEP');
      const stop = await launchAndStop(client, { program: seed, python: py.path }, [{ path: seed, lines: [sleepLine] }]);
      const threadId = stop.body.threadId as number;
      await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [] });
      const stepped = nextStop(client);
      await client.nextRequest({ threadId });
      const step = await stepped;
      assert.equal(step.body.reason, 'step');
      assert.equal(step.body.threadId, threadId, 'the step ends in the same task');
      const [top] = (await client.stackTraceRequest({ threadId })).body.stackFrames;
      assert.equal(top.name, 'producer');
      assert.ok(top.line === sleepLine - 2 || top.line === sleepLine - 1, `back at the loop head or the put, got line ${top.line}`);
      // Meanwhile the consumer ran: it printed the first item.
      await client.waitForOutput('stdout', 'Consumed: 0');
      await client.disconnectRequest({ terminateDebuggee: true });
    }));

    test('pause reaches an idle event loop', () => withClient(async (client) => {
      const program = fixture('idle_loop.py');
      await Promise.all([client.configurationSequence(), client.launch({ program, python: py.path })]);
      // Poll until the loop is idle in its sleep: the main task is suspended.
      for (;;) {
        const names = (await client.threadsRequest()).body.threads.map((t) => t.name);
        if (names.some((n) => /main\(\) ⏸ sleep/.test(n))) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const paused = nextStop(client);
      await client.pauseRequest({ threadId: 0 });
      const stop = await paused;
      assert.equal(stop.body.reason, 'pause');
      const threads = (await client.threadsRequest()).body.threads;
      assert.equal(threads[0].id, stop.body.threadId);
      const frames = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames;
      assert.ok(frames.length > 0);
      const main = threads.find((t) => /main\(\)/.test(t.name));
      assert.ok(main);
      const mainFrames = (await client.stackTraceRequest({ threadId: main.id })).body.stackFrames;
      assert.equal(mainFrames[0].name, 'main');
      assert.equal(mainFrames[0].line, markerLine(readFileSync(program, 'utf8'), 'IDLE'));
      await client.disconnectRequest({ terminateDebuggee: true });
    }));

    test('the "uncaught" exception filter stops where the exception leaves the task; exceptionInfo explains it', () => withClient(async (client) => {
      const program = fixture('failing_task.py');
      const stop = await launchAndStop(client, { program, python: py.path }, [], ['uncaught']);
      assert.equal(stop.body.reason, 'exception');
      const info = (await client.exceptionInfoRequest({ threadId: stop.body.threadId as number })).body;
      assert.match(info.exceptionId, /KeyError/);
      assert.equal(info.breakMode, 'unhandled');
      const [top] = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames;
      assert.equal(top.name, 'fail');
      assert.equal(top.line, markerLine(readFileSync(program, 'utf8'), 'RAISE'));
      const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await client.continueRequest({ threadId: stop.body.threadId as number });
      assert.equal((await exited).body.exitCode, 0);
      await client.waitForOutput('stdout', 'main saw KeyError');
    }));

    test('output events carry stdout and stderr; the exit code is reported', () => withClient(async (client) => {
      const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const terminated = client.waitForEvent('terminated');
      await Promise.all([client.configurationSequence(), client.launch({ program: fixture('exit_code.py'), python: py.path })]);
      assert.equal((await exited).body.exitCode, 3);
      await terminated;
      assert.equal(client.text('stdout'), 'to stdout\n');
      assert.equal(client.text('stderr'), 'to stderr\n');
    }));

    test('attach to `python -m coroscope --listen`, stop at a breakpoint, detach: the program runs on', async () => {
      const token = 'attach-test-token';
      const program = spawnListening(py.path, ['--wait-for-client', seed], { COROSCOPE_TOKEN: token }, 'pipe');
      let stdout = '';
      let stderr = '';
      program.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      program.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      const exit = new Promise<number | null>((resolve) => program.once('exit', (code) => resolve(code)));
      try {
        const [, port] = await readStderr(program, /listening on 127\.0\.0\.1:(\d+)/);
        await withClient(async (client) => {
          const printLine = markerLine(seedSource, 'CONSUMER_PRINT');
          const stopped = nextStop(client);
          stopped.catch(() => undefined);
          // A program that ends instead of stopping fails the test with its output and the runtime's log.
          const endedFirst = exit.then((code) => {
            throw new Error(`the program exited (${code}) before stopping\nstdout: ${stdout}\nstderr: ${stderr}\nruntime log:\n${client.runtimeLogTail()}`);
          });
          endedFirst.catch(() => undefined);
          await client.initializeRequest();
          await client.attachRequest({ port: Number(port), token } as DebugProtocol.AttachRequestArguments);
          await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [{ line: printLine }] });
          await client.configurationDoneRequest();
          const stop = await Promise.race([stopped, endedFirst]);
          assert.equal(stop.body.reason, 'breakpoint');
          const threads = (await client.threadsRequest()).body.threads;
          assert.match(threads[0].name, /consumer\(\)/);
          await client.disconnectRequest({});
        });
        assert.equal(await exit, 0, 'the program finished normally after the adapter detached');
        assert.equal(stdout, 'Consumed: 0\nConsumed: 1\nConsumed: 2\ndone\n');
      } finally {
        program.kill();
      }
    });
  });
}

describe('DAP launch options (adapter logic, one interpreter)', () => {
  const py = pythons[pythons.length - 1];

  test('envFile, env overrides and removals reach the program; the session token does not', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const dir = mkdtempSync(join(tmpdir(), 'coroscope-env-'));
    writeFileSync(join(dir, '.env'), 'FROM_FILE=file value\nOVERRIDDEN=from file\n');
    const terminated = client.waitForEvent('terminated');
    process.env.REMOVED = 'inherited';
    try {
      await Promise.all([client.configurationSequence(), client.launch({
        program: fixture('env_echo.py'), python: py.path, cwd: dir, envFile: '.env', env: { OVERRIDDEN: 'from env', REMOVED: null },
      })]);
    } finally {
      delete process.env.REMOVED;
    }
    await terminated;
    assert.equal(client.text('stdout'), 'FROM_FILE=file value\nOVERRIDDEN=from env\nREMOVED=None\nTOKEN_VISIBLE=False\n');
    rmSync(dir, { recursive: true, force: true });
  }));

  test('the adapter advertises restart', () => withClient(async (client) => {
    assert.equal((await client.initializeRequest()).body?.supportsRestartRequest, true);
  }));

  test('restart: a fresh process with the new configuration stops at the same breakpoint, in the same session', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const program = fixture('restart_me.py');
    const line = markerLine(readFileSync(program, 'utf8'), 'BREAK_HERE');
    let terminatedEvents = 0;
    client.on('terminated', () => { terminatedEvents++; });
    const pidAt = async (stop: DebugProtocol.StoppedEvent) => {
      const frame = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames[0];
      assert.equal(frame.line, line);
      return Number((await client.evaluateRequest({ expression: 'pid', frameId: frame.id, context: 'watch' })).body.result);
    };
    const first = await launchAndStop(client, { program, python: py.path }, [{ path: program, lines: [line] }]);
    assert.equal(first.body.reason, 'breakpoint');
    const firstPid = await pidAt(first);
    await client.waitForOutput('stdout', `run pid=${firstPid} args=[]`);

    // A bad configuration is refused before anything ends: the first run is still there, stopped.
    await assert.rejects(client.customRequest('restart', { arguments: { program, python: py.path, args: 'not-a-list' } }), /'args'/);
    assert.equal(await pidAt(first), firstPid);

    const second = nextStop(client);
    await client.customRequest('restart', { arguments: { type: 'coroscope', request: 'launch', program, python: py.path, args: ['again'] } });
    const stop = await second;
    assert.equal(stop.body.reason, 'breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, first.body.hitBreakpointIds, 'the client\'s breakpoint ids survive the restart');
    const secondPid = await pidAt(stop);
    assert.notEqual(secondPid, firstPid);
    await client.waitForOutput('stdout', `run pid=${secondPid} args=['again']`);
    assert.match(client.text('stdout'), new RegExp(`run pid=${firstPid} args=\\[\\][^]*run pid=${secondPid}`), 'output of both runs arrives, in order');
    assert.equal(terminatedEvents, 0, 'restart keeps the DAP session alive');

    // The restarted program runs to its end and ends the session as usual.
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: stop.body.threadId as number });
    await terminated;
  }));

  test('maxTasks and taskFilter narrow the thread list and say how many tasks are hidden', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const stop = await launchAndStop(client, { program: seed, python: py.path, maxTasks: 1 }, [{ path: seed, lines: [markerLine(seedSource, 'CONSUMER_PRINT')] }]);
    const names = (await client.threadsRequest()).body.threads.map((t) => t.name);
    assert.equal(names.filter((n) => n.startsWith('Task-')).length, 2, `the stopped task is always listed, plus maxTasks: ${names.join(' | ')}`);
    await client.waitForOutput('console', '1 task(s) hidden from the Call Stack by maxTasks 1');
    await client.disconnectRequest({ terminateDebuggee: true });
    assert.ok(stop);
  }));

  test('10,000 tasks: threads lists maxTasks of them (all with a larger maxTasks), each with a stack', { skip: !py && 'no Python' }, async () => {
    const program = fixture('many_tasks.py');
    const line = markerLine(readFileSync(program, 'utf8'), 'ALL_WAITING');
    for (const maxTasks of [undefined, 20_000]) {
      await withClient(async (client) => {
        await launchAndStop(client, { program, python: py.path, maxTasks }, [{ path: program, lines: [line] }]);
        const threads = (await client.threadsRequest()).body.threads;
        const tasks = threads.filter((t) => t.name.startsWith('Task-'));
        if (maxTasks) {
          assert.equal(tasks.length, 10_001, 'main and 10,000 workers');
        } else {
          assert.equal(tasks.length, 1001, 'the stopped main task, plus the default maxTasks of the others');
          await client.waitForOutput('console', '9000 task(s) hidden from the Call Stack by maxTasks 1000');
        }
        const worker = tasks.find((t) => /worker\(\) ⏸ Event\.wait/.test(t.name));
        assert.ok(worker, tasks.slice(0, 3).map((t) => t.name).join(' | '));
        const frames = (await client.stackTraceRequest({ threadId: worker.id })).body.stackFrames;
        assert.equal(frames[0].name, 'worker');
        await client.disconnectRequest({ terminateDebuggee: true });
      });
    }
  });

  test('terminating a task\'s thread cancels the task: the program sees CancelledError', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const program = fixture('cancel_me.py');
    const source = readFileSync(program, 'utf8');
    const stop = await launchAndStop(client, { program, python: py.path }, [{ path: program, lines: [markerLine(source, 'READY')] }]);
    const victim = (await client.threadsRequest()).body.threads.find((t) => t.name.startsWith('victim victim()'));
    assert.ok(victim, 'the task is listed under its own name');
    const loop = (await client.threadsRequest()).body.threads.find((t) => t.name === 'MainThread · event loop');
    assert.ok(loop);
    await assert.rejects(client.customRequest('terminateThreads', { threadIds: [loop.id] }), /only tasks can be cancelled/);
    await client.customRequest('terminateThreads', { threadIds: [victim.id] });
    await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    await client.continueRequest({ threadId: stop.body.threadId as number });
    assert.equal((await exited).body.exitCode, 0);
    await client.waitForOutput('stdout', 'main saw the task cancelled');
    assert.equal(client.text('stdout'), 'ready\nvictim saw CancelledError\nmain saw the task cancelled\n');
  }));

  test('setVariable changes a local the program then uses; the Task scope is read-only', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const stop = await launchAndStop(client, { program: seed, python: py.path }, [{ path: seed, lines: [markerLine(seedSource, 'CONSUMER_PRINT')] }]);
    const threadId = stop.body.threadId as number;
    const [top] = (await client.stackTraceRequest({ threadId })).body.stackFrames;
    const scopes = (await client.scopesRequest({ frameId: top.id })).body.scopes;
    const locals = scopes.find((sc) => sc.name === 'Locals');
    const task = scopes.find((sc) => sc.name === 'Task');
    assert.ok(locals && task);
    const set = await client.setVariableRequest({ variablesReference: locals.variablesReference, name: 'item', value: '40 + 1' });
    assert.equal(set.body.value, '41');
    await assert.rejects(client.setVariableRequest({ variablesReference: task.variablesReference, name: 'state', value: '1' }), /read-only/);
    await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [] });
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId });
    await terminated;
    assert.equal(client.text('stdout'), 'Consumed: 41\nConsumed: 1\nConsumed: 2\ndone\n');
  }));

  test('attach with pathMappings: breakpoints and stack frames use the editor\'s paths', { skip: !py && 'no Python' }, async () => {
    const token = 'mapped-token';
    const localRoot = '/editor/checkout';
    const program = spawnListening(py.path, ['--wait-for-client', seed], { COROSCOPE_TOKEN: token });
    try {
      const [, port] = await readStderr(program, /listening on 127\.0\.0\.1:(\d+)/);
      await withClient(async (client) => {
        const stopped = nextStop(client);
        stopped.catch(() => undefined);
        await client.initializeRequest();
        await client.attachRequest({ port: Number(port), token, pathMappings: [{ localRoot, remoteRoot: join(repoRoot(), 'debugger', 'test', 'fixtures') }] } as DebugProtocol.AttachRequestArguments);
        const set = await client.setBreakpointsRequest({ source: { path: `${localRoot}/producer_consumer.py` }, breakpoints: [{ line: markerLine(seedSource, 'CONSUMER_PRINT') }] });
        assert.equal(set.body.breakpoints[0].verified, true);
        await client.configurationDoneRequest();
        const stop = await stopped;
        const [top] = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames;
        assert.equal(top.source?.path, `${localRoot}/producer_consumer.py`);
        await client.disconnectRequest({ terminateDebuggee: true });
      });
    } finally {
      program.kill();
    }
  });

  test('restart of an attach session reattaches to the same program and re-sends its breakpoints', { skip: !py && 'no Python' }, async () => {
    const token = 'restart-attach-token';
    const ticker = fixture('ticker.py');
    const program = spawnListening(py.path, ['--wait-for-client', ticker], { COROSCOPE_TOKEN: token });
    try {
      const [, port] = await readStderr(program, /listening on 127\.0\.0\.1:(\d+)/);
      await withClient(async (client) => {
        let terminatedEvents = 0;
        client.on('terminated', () => { terminatedEvents++; });
        const at = async (stop: DebugProtocol.StoppedEvent, expression: string) => {
          const [top] = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames;
          return (await client.evaluateRequest({ expression, frameId: top.id, context: 'watch' })).body.result;
        };
        const stopped = nextStop(client);
        stopped.catch(() => undefined);
        await client.initializeRequest();
        const attach = { type: 'coroscope', request: 'attach', port: Number(port), token };
        await client.attachRequest(attach as DebugProtocol.AttachRequestArguments);
        await client.setBreakpointsRequest({ source: { path: ticker }, breakpoints: [{ line: markerLine(readFileSync(ticker, 'utf8'), 'TICK') }] });
        await client.configurationDoneRequest();
        const first = await stopped;
        assert.equal(await at(first, 'n'), '0');
        const pid = await at(first, '__import__("os").getpid()');

        const second = nextStop(client);
        await client.customRequest('restart', { arguments: attach });
        const stop = await second;
        // The program ran on between detaching and the re-sent breakpoint, so it stops some ticks later.
        assert.ok(Number(await at(stop, 'n')) > 0, 'the same program, further on, stopped by the re-sent breakpoint');
        assert.equal(await at(stop, '__import__("os").getpid()'), pid);
        assert.equal(terminatedEvents, 0);
        await client.disconnectRequest({ terminateDebuggee: true });
      });
    } finally {
      program.kill();
    }
  });

  test('a function breakpoint on a coroutine stops at its start', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const stopped = nextStop(client);
    stopped.catch(() => undefined);
    await Promise.all([
      client.waitForEvent('initialized').then(async () => {
        const set = await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'consumer' }] });
        assert.equal(set.body.breakpoints.length, 1);
        assert.equal(set.body.breakpoints[0].verified, true);
        await client.configurationDoneRequest();
      }),
      client.launch({ program: seed, python: py.path }),
    ]);
    const stop = await stopped;
    assert.equal(stop.body.reason, 'function breakpoint');
    const [top] = (await client.stackTraceRequest({ threadId: stop.body.threadId as number })).body.stackFrames;
    assert.equal(top.name, 'consumer');
    await client.disconnectRequest({ terminateDebuggee: true });
  }));

  test('justMyCode: false shows the standard library frames, dimmed', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const stop = await launchAndStop(client, { program: seed, python: py.path, justMyCode: false }, [{ path: seed, lines: [markerLine(seedSource, 'PRODUCER_SLEEP')] }]);
    const threads = (await client.threadsRequest()).body.threads;
    const loop = threads.find((t) => t.name === 'MainThread · event loop');
    assert.ok(loop);
    const frames = (await client.stackTraceRequest({ threadId: loop.id })).body.stackFrames;
    const library = frames.filter((f) => f.source?.path?.includes('asyncio'));
    assert.ok(library.length > 0, 'asyncio frames are listed');
    assert.ok(library.every((f) => f.presentationHint === 'subtle'));
    assert.ok(stop);
    await client.disconnectRequest({ terminateDebuggee: true });
  }));

  test('"console": "integratedTerminal" falls back to the Debug Console when the client has no terminal', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    await Promise.all([client.configurationSequence(), client.launch({ program: fixture('exit_code.py'), python: py.path, console: 'integratedTerminal' })]);
    assert.equal((await exited).body.exitCode, 3);
    await client.waitForOutput('console', 'cannot run programs in a terminal');
    await client.waitForOutput('stdout', 'to stdout');
  }));

  test('a suspend/resume breakpoint on a line without an await is unverified with a reason', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    await Promise.all([
      client.waitForEvent('initialized').then(async () => {
        const printLine = markerLine(seedSource, 'CONSUMER_PRINT');
        const set = await client.setBreakpointsRequest({ source: { path: seed }, breakpoints: [{ line: printLine, mode: 'suspend' }, { line: printLine, mode: 'sideways' }] });
        const [noAwait, unknown] = set.body.breakpoints;
        assert.equal(noAwait.verified, false);
        assert.match(noAwait.message ?? '', /No await on line/);
        assert.equal(unknown.verified, false);
        assert.match(unknown.message ?? '', /Unknown breakpoint mode 'sideways'/);
        await client.configurationDoneRequest();
      }),
      client.launch({ program: seed, python: py.path, stopOnEntry: true }),
    ]);
    await client.disconnectRequest({ terminateDebuggee: true });
  }));
});

describe('DAP launch and attach errors', () => {
  const py = pythons[0];

  test('a bad launch attribute is an error naming it', () => withClient(async (client) => {
    await client.initializeRequest();
    await assert.rejects(client.launchRequest({ program: seed, args: 'one two' } as DebugProtocol.LaunchRequestArguments), /launch\.json: 'args' must be an array of strings/);
    await assert.rejects(client.launchRequest({ module: 'x', program: seed } as DebugProtocol.LaunchRequestArguments), /either 'program' or 'module'/);
    await assert.rejects(client.attachRequest({ port: 'eighty' } as DebugProtocol.AttachRequestArguments), /launch\.json: 'port' must be an integer/);
  }));

  test('a missing interpreter is explained', () => withClient(async (client) => {
    await client.initializeRequest();
    await assert.rejects(client.launchRequest({ program: seed, python: '/nonexistent/python3' } as DebugProtocol.LaunchRequestArguments), /Python interpreter '\/nonexistent\/python3' was not found/);
  }));

  test('a program that dies before the runtime connects reports its exit code and stderr', { skip: !py && 'no Python' }, () => withClient(async (client) => {
    await client.initializeRequest();
    // The interpreter runs `-c` and ignores the rest of the command line, as a broken environment might.
    const python = [py.path, '-c', 'import sys; sys.stderr.write("boom before connect\\n"); sys.exit(7)'];
    await assert.rejects(client.launchRequest({ program: seed, python } as DebugProtocol.LaunchRequestArguments), /exited with code 7 before the Coroscope runtime connected\.\nboom before connect/);
  }));

  test('attaching with a wrong token is refused with an explanation', { skip: !py && 'no Python' }, async () => {
    const program = spawnListening(py.path, ['--token', 'right', '--wait-for-client', seed], {});
    try {
      const [, port] = await readStderr(program, /listening on 127\.0\.0\.1:(\d+)/);
      await withClient(async (client) => {
        await client.initializeRequest();
        await assert.rejects(client.attachRequest({ port: Number(port), token: 'wrong' } as DebugProtocol.AttachRequestArguments), /Cannot attach: .*token is probably wrong/);
      });
    } finally {
      program.kill();
    }
  });
});

describe('standalone adapter in --server mode', () => {
  test('serves a DAP session over TCP', { skip: !pythons.length && 'no Python' }, async () => {
    const server = spawn(process.execPath, [adapterPath(), '--server=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    started.add(server);
    try {
      const [, port] = await readStderr(server, /listening on 127\.0\.0\.1:(\d+)/);
      const client = new Client();
      await client.start(Number(port));
      try {
        const stop = await launchAndStop(client, { program: seed, python: pythons[0].path, stopOnEntry: true });
        assert.equal(stop.body.reason, 'entry');
        assert.ok((await client.threadsRequest()).body.threads.length > 0);
        const exited = client.waitForEvent('exited');
        await client.disconnectRequest({ terminateDebuggee: true });
        await exited;
      } finally {
        await client.stop();
      }
    } finally {
      server.kill();
    }
  });

  test('rejects a malformed --server argument', () => {
    const result = spawnSync(process.execPath, [adapterPath(), '--server=http'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--server needs a port number/);
  });
});

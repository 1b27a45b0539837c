// The suspend-point lens's breakpoint modes: persisted records, the modes added to setBreakpoints on
// the way to the inline adapter (never over VS Code's own), the answer's message, and the markers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { addLensModes, describeLensModes, describePlan, MODE_WORDS, parseModeRecords, planLensBreakpoints, type BreakpointMode } from '../src/suspendPoints/lensModes';
import { LensModeAdapter } from '../src/suspendPoints/modeAdapter';
import { MARK, markers, suspendPointLines, suspendPointsTitle, wellFormed } from '../src/suspendPoints/model';
import type { AsyncFunctionSuspendPoints, SuspendPointsResult } from '../src/protocol';

const PATH = '/w/producer_consumer.py';

function setBreakpoints(seq: number, lines: (number | { line: number; mode?: string })[], path = PATH): DebugProtocol.SetBreakpointsRequest {
  return {
    seq, type: 'request', command: 'setBreakpoints',
    arguments: { source: { path }, breakpoints: lines.map((l) => typeof l === 'number' ? { line: l } : l), lines: lines.map((l) => typeof l === 'number' ? l : l.line) },
  };
}

test('persisted records keep only string ids with a known mode', () => {
  assert.deepEqual([...parseModeRecords({ a: 'suspend', b: 'resume', c: 'sometimes', d: 3, '': 'suspend' })], [['a', 'suspend'], ['b', 'resume']]);
  for (const junk of [undefined, null, 'suspend', 42, ['suspend'], true]) assert.equal(parseModeRecords(junk).size, 0);
});

test('lens-made lines get their mode; other lines and modes VS Code sent stay as they are', () => {
  const args = setBreakpoints(1, [17, { line: 18, mode: 'resume' }, 22, 30]).arguments;
  const { args: moded, added } = addLensModes(args, [{ line: 17, mode: 'suspend' }, { line: 18, mode: 'suspend' }, { line: 22, mode: 'resume' }]);
  assert.deepEqual(moded.breakpoints, [{ line: 17, mode: 'suspend' }, { line: 18, mode: 'resume' }, { line: 22, mode: 'resume' }, { line: 30 }]);
  assert.deepEqual([...added], [[0, 'suspend'], [2, 'resume']]);
  // The request VS Code handed over is not changed in place.
  assert.deepEqual(args.breakpoints, [{ line: 17 }, { line: 18, mode: 'resume' }, { line: 22 }, { line: 30 }]);
});

test('a request with nothing to add is passed through as is, malformed ones too', () => {
  const args = setBreakpoints(1, [5]).arguments;
  assert.equal(addLensModes(args, []).args, args);
  assert.equal(addLensModes(args, [{ line: 6, mode: 'suspend' }]).args, args);
  const noList = { source: { path: PATH } } as DebugProtocol.SetBreakpointsArguments;
  assert.equal(addLensModes(noList, [{ line: 6, mode: 'suspend' }]).added.size, 0);
  const holes = { source: { path: PATH }, breakpoints: [null, { line: 'x' }, { line: 6 }] } as unknown as DebugProtocol.SetBreakpointsArguments;
  assert.deepEqual([...addLensModes(holes, [{ line: 6, mode: 'resume' }]).added], [[2, 'resume']]);
});

test('the answer says the mode, but never hides the adapter\'s own message', () => {
  const body = { breakpoints: [{ verified: true, line: 17 }, { verified: false, line: 22, message: 'No code on this line.' }, { verified: true, line: 30 }] };
  const described = describeLensModes(body, new Map([[0, 'suspend'], [1, 'resume']]));
  assert.deepEqual(described?.breakpoints.map((b) => b.message), [MODE_WORDS.suspend.message, 'No code on this line.', undefined]);
  assert.equal(describeLensModes(undefined, new Map([[0, 'suspend']])), undefined);
});

/** A stand-in for the inline session: records what it receives, answers setBreakpoints like the adapter. */
class FakeSession {
  received: DebugProtocol.ProtocolMessage[] = [];
  private listeners: ((m: unknown) => void)[] = [];
  disposed = false;
  onDidSendMessage = (listener: (m: unknown) => void) => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };
  handleMessage(message: DebugProtocol.ProtocolMessage): void {
    this.received.push(message);
    const request = message as DebugProtocol.Request;
    const response: DebugProtocol.Response = { seq: 100 + request.seq, type: 'response', request_seq: request.seq, command: request.command, success: true };
    if (request.command === 'setBreakpoints') {
      response.body = { breakpoints: (request.arguments as DebugProtocol.SetBreakpointsArguments).breakpoints!.map((b) => ({ verified: true, line: b.line })) };
    }
    for (const l of this.listeners) l(response);
  }
  dispose(): void { this.disposed = true; }
}

test('the wrapping adapter adds modes on the way in and explains them on the way out', () => {
  const session = new FakeSession();
  const asked: string[] = [];
  const adapter = new LensModeAdapter(session as never, {
    lensBreakpointsIn: (path) => { asked.push(path); return path === PATH ? [{ line: 22, mode: 'suspend' }] : []; },
  });
  const sent: DebugProtocol.Response[] = [];
  const disposables: { dispose(): void }[] = [];
  adapter.onDidSendMessage((m) => sent.push(m as DebugProtocol.Response), undefined, disposables);
  assert.equal(disposables.length, 1);

  adapter.handleMessage(setBreakpoints(1, [22, 17]));
  adapter.handleMessage(setBreakpoints(2, [22], '/w/other.py'));
  adapter.handleMessage({ seq: 3, type: 'request', command: 'threads' } as DebugProtocol.Request);

  assert.deepEqual(asked, [PATH, '/w/other.py']);
  const first = session.received[0] as DebugProtocol.SetBreakpointsRequest;
  assert.deepEqual(first.arguments.breakpoints, [{ line: 22, mode: 'suspend' }, { line: 17 }]);
  assert.deepEqual((session.received[1] as DebugProtocol.SetBreakpointsRequest).arguments.breakpoints, [{ line: 22 }]);
  assert.equal(session.received[2].seq, 3);

  assert.deepEqual(sent[0].body.breakpoints, [{ verified: true, line: 22, message: MODE_WORDS.suspend.message }, { verified: true, line: 17 }]);
  assert.deepEqual(sent[1].body.breakpoints, [{ verified: true, line: 22 }]);
  assert.equal(sent[2].command, 'threads');

  adapter.dispose();
  assert.ok(session.disposed);
});

const FUNCTIONS: SuspendPointsResult = {
  functions: [
    { name: 'producer', range: { start: { line: 13, character: 0 }, end: { line: 13, character: 18 } }, suspendPoints: [
      { kind: 'await', range: { start: { line: 15, character: 8 }, end: { line: 15, character: 13 } } },
      { kind: 'await', range: { start: { line: 16, character: 8 }, end: { line: 16, character: 13 } } },
    ] },
    { name: 'both', range: { start: { line: 20, character: 0 }, end: { line: 20, character: 14 } }, suspendPoints: [
      { kind: 'async with', range: { start: { line: 21, character: 4 }, end: { line: 21, character: 14 } } },
      { kind: 'await', range: { start: { line: 21, character: 20 }, end: { line: 21, character: 25 } } },
    ] },
  ],
};

test('markers: one per line with a suspend point, naming the mode a lens breakpoint gave it', () => {
  const found = markers(FUNCTIONS.functions, new Map([[16, 'resume']]));
  assert.deepEqual(found.map((m) => [m.line, m.text]), [[15, MARK], [16, `${MARK} breaks on resume`], [21, MARK]]);
  assert.match(found[2].hover, /`async with`, `await`/);
  assert.match(found[1].hover, /resumes here/);
  assert.deepEqual(suspendPointLines(FUNCTIONS.functions[1]), [21]);
  assert.equal(suspendPointsTitle(1), '1 suspend point');
  assert.equal(suspendPointsTitle(2), '2 suspend points');
});

test('malformed server answers are filtered, never thrown on', () => {
  const junk = { functions: [null, { name: 'x' }, { name: 'y', range: FUNCTIONS.functions[0].range, suspendPoints: [null, { kind: 'await' }, FUNCTIONS.functions[0].suspendPoints[0]] }] };
  const kept: AsyncFunctionSuspendPoints[] = wellFormed(junk as unknown as SuspendPointsResult);
  assert.deepEqual(kept.map((f) => [f.name, f.suspendPoints.length]), [['y', 1]]);
  assert.deepEqual(wellFormed(undefined), []);
  assert.deepEqual(wellFormed({ functions: 'no' } as unknown as SuspendPointsResult), []);
});

test('a lens click adds where nothing is, switches its own breakpoints, and leaves the user\'s alone', () => {
  const there = new Map<number, { lensMode?: BreakpointMode }>([[3, {}], [5, { lensMode: 'suspend' }], [7, { lensMode: 'resume' }]]);
  const plan = planLensBreakpoints([1, 3, 5, 7, 1, -1, 2.5, Number.NaN], 'resume', (line) => there.get(line));
  assert.deepEqual(plan, [
    { line: 1, action: 'add' }, { line: 3, action: 'user' }, { line: 5, action: 'switch' }, { line: 7, action: 'unchanged' },
  ]);
  assert.equal(describePlan(plan, 'resume'), 'Coroscope: 2 breakpoints on resume; 1 line kept your own breakpoint (its mode is in the Breakpoints view)');
  assert.equal(describePlan([{ action: 'unchanged' }], 'suspend'), 'Coroscope: breakpoints on suspend already set');
  assert.equal(describePlan([{ action: 'add' }], 'suspend'), 'Coroscope: 1 breakpoint on suspend');
});

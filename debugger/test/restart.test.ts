// DAP `restart` driven as VS Code does, on every interpreter: a launch session relaunches a fresh process
// and replays everything the client configured, including what it changed mid-session. The sequence below
// (a line breakpoint inside the function a function breakpoint names) once lost the line breakpoint on
// 3.12+: the PY_START callback stopped for the function breakpoint without arming the code's LINE events.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { findPythons } from '../../test/support/pythons';
import { fixture, launchAndStop, markerLine, nextStop, withClient } from './support/dap';

const pythons = findPythons();
const program = fixture('restart_me.py');
const line = markerLine(readFileSync(program, 'utf8'), 'BREAK_HERE');

for (const py of pythons) {
  describe(`DAP restart with Python ${py.version}`, () => {
    test('restart twice, a function breakpoint set in between: the last run stops at it, then at a line breakpoint in that function', () => withClient(async (client) => {
      let terminatedEvents = 0;
      client.on('terminated', () => { terminatedEvents++; });
      const first = await launchAndStop(client, { program, python: py.path }, [{ path: program, lines: [line] }]);
      assert.equal(first.body.reason, 'breakpoint');
      const again = nextStop(client);
      await client.customRequest('restart', { arguments: { type: 'coroscope', request: 'launch', program, python: py.path } });
      assert.equal((await again).body.reason, 'breakpoint');
      const set = await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'work' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const functionId = set.body.breakpoints[0].id;

      const atFunction = nextStop(client);
      await client.customRequest('restart', { arguments: { type: 'coroscope', request: 'launch', program, python: py.path, args: ['again'] } });
      const entered = await atFunction;
      assert.equal(entered.body.reason, 'function breakpoint');
      assert.deepEqual(entered.body.hitBreakpointIds, [functionId], 'the function breakpoint keeps the id the client knows');
      const [top] = (await client.stackTraceRequest({ threadId: entered.body.threadId as number })).body.stackFrames;
      assert.equal(top.name, 'work');

      const atLine = nextStop(client);
      await client.continueRequest({ threadId: entered.body.threadId as number });
      const stop = await atLine;
      assert.equal(stop.body.reason, 'breakpoint');
      assert.deepEqual(stop.body.hitBreakpointIds, first.body.hitBreakpointIds);
      assert.equal(terminatedEvents, 0, 'restart keeps the DAP session alive');

      const terminated = client.waitForEvent('terminated');
      await client.continueRequest({ threadId: stop.body.threadId as number });
      await terminated;
    }));
  });
}

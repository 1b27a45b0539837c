// The debuggee command line and environment built from a launch configuration.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, validateLaunch } from '../src/launchConfig';
import { buildLaunchCommand, runtimeDir } from '../src/launcher';

describe('launch command', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coroscope-launch-'));
    writeFileSync(join(dir, 'app.py'), 'print(1)\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('program: the runtime connects back, the program and its args follow', () => {
    const config = validateLaunch({ program: join(dir, 'app.py'), args: ['--n', '3'] });
    const cmd = buildLaunchCommand(config, 4567, 'tok', { PATH: '/bin' }, '/rt');
    assert.equal(cmd.command, 'python3');
    assert.deepEqual(cmd.args, ['-m', 'coroscope', '--connect', '127.0.0.1:4567', join(dir, 'app.py'), '--n', '3']);
    assert.equal(cmd.cwd, dir, 'cwd defaults to the program\'s folder');
    assert.equal(cmd.env.PYTHONPATH, '/rt');
    assert.equal(cmd.env.COROSCOPE_TOKEN, 'tok');
    assert.ok(!cmd.args.includes('tok'), 'the token is not on the command line, where ps would show it');
  });

  test('module, python with leading arguments, relative program, env with removal', () => {
    const cmd = buildLaunchCommand(validateLaunch({
      module: 'pkg.app', cwd: dir, python: ['/opt/py', '-X', 'dev'], env: { KEEP: 'new', DROP: null },
    }), 1, 't', { KEEP: 'old', DROP: 'x', PYTHONPATH: '/user/lib' }, '/rt');
    assert.equal(cmd.command, '/opt/py');
    assert.deepEqual(cmd.args, ['-X', 'dev', '-m', 'coroscope', '--connect', '127.0.0.1:1', '-m', 'pkg.app']);
    assert.equal(cmd.env.KEEP, 'new');
    assert.ok(!('DROP' in cmd.env));
    assert.equal(cmd.env.PYTHONPATH, `/rt${delimiter}/user/lib`);
    const relative = buildLaunchCommand(validateLaunch({ program: 'app.py', cwd: dir }), 1, 't', {}, '/rt');
    assert.equal(relative.args[4], join(dir, 'app.py'));
  });

  test('a missing program or cwd is a launch.json error naming it', () => {
    assert.throws(() => buildLaunchCommand(validateLaunch({ program: join(dir, 'nope.py') }), 1, 't', {}, '/rt'),
      (err: unknown) => err instanceof ConfigError && err.attribute === 'program' && /does not exist/.test(err.message));
    assert.throws(() => buildLaunchCommand(validateLaunch({ program: 'app.py', cwd: join(dir, 'missing') }), 1, 't', {}, '/rt'),
      (err: unknown) => err instanceof ConfigError && err.attribute === 'cwd');
  });

  test('the runtime folder is found next to the bundle unless overridden', () => {
    assert.equal(runtimeDir({}, '/ext/dist'), '/ext/debugger/python');
    assert.equal(runtimeDir({ COROSCOPE_RUNTIME_DIR: '/dev/rt' }, '/ext/dist'), '/dev/rt');
  });
});

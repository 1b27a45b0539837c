// envFile parsing and pathMappings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadEnvFile, parseEnvFile } from '../src/envFile';
import { ConfigError } from '../src/launchConfig';
import { PathMapper } from '../src/pathMapping';

describe('envFile', () => {
  test('dotenv syntax', () => {
    assert.deepEqual(parseEnvFile([
      '# comment', 'A=1', 'export B = two words ', 'C="quoted # not a comment\\nnext"', "D='single $x'", 'E=value # comment', 'not an assignment', 'F=', '',
    ].join('\n')), { A: '1', B: 'two words', C: 'quoted # not a comment\nnext', D: 'single $x', E: 'value', F: '' });
  });
  test('a missing file names the attribute', () => {
    assert.throws(() => loadEnvFile('/nonexistent/.env'), (err: unknown) => err instanceof ConfigError && err.attribute === 'envFile' && /ENOENT/.test(err.message));
  });
});

describe('pathMappings', () => {
  const mapper = new PathMapper([{ localRoot: '/home/me/proj', remoteRoot: '/app' }, { localRoot: '/home/me/proj/lib', remoteRoot: '/opt/lib' }]);
  test('maps both ways, longest root first, leaving other paths alone', () => {
    assert.equal(mapper.toRemote('/home/me/proj/src/main.py'), '/app/src/main.py');
    assert.equal(mapper.toRemote('/home/me/proj/lib/util.py'), '/opt/lib/util.py');
    assert.equal(mapper.toLocal('/app/src/main.py'), '/home/me/proj/src/main.py');
    assert.equal(mapper.toLocal('/opt/lib/util.py'), '/home/me/proj/lib/util.py');
    assert.equal(mapper.toLocal('/usr/lib/python3.12/asyncio/tasks.py'), '/usr/lib/python3.12/asyncio/tasks.py');
    assert.equal(mapper.toRemote('/home/me/project2/x.py'), '/home/me/project2/x.py', 'a sibling folder with a common prefix is not inside the root');
  });
  test('Windows editor, Linux container', () => {
    const win = new PathMapper([{ localRoot: 'C:\\work\\proj', remoteRoot: '/app' }]);
    assert.equal(win.toRemote('C:\\work\\proj\\src\\main.py'), '/app/src/main.py');
    assert.equal(win.toLocal('/app/src/main.py'), 'C:\\work\\proj\\src\\main.py');
  });
});

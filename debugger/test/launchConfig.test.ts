// Launch/attach attribute validation, and the promise that the validator and package.json's
// contributes.debuggers configurationAttributes describe the same attributes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ATTACH_ATTRIBUTES, ConfigError, LAUNCH_ATTRIBUTES, validateAttach, validateLaunch } from '../src/launchConfig';
import { repoRoot } from './support/root';

function rejects(fn: () => unknown, attribute: string, message: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.attribute, attribute);
    assert.match(err.message, message);
    return true;
  });
}

describe('launch attributes', () => {
  test('a minimal program configuration gets defaults', () => {
    const config = validateLaunch({ type: 'coroscope', request: 'launch', name: 'x', program: '/tmp/app.py', __sessionId: 'abc' });
    assert.deepEqual(config, {
      program: '/tmp/app.py', module: undefined, args: [], cwd: undefined, env: {}, python: undefined, stopOnEntry: false, console: 'internalConsole',
      envFile: undefined, justMyCode: true, maxTasks: 1000, taskFilter: undefined,
    });
  });

  test('every attribute is normalised', () => {
    const config = validateLaunch({
      module: 'pkg.main', args: ['-v', 'x y'], cwd: '/tmp', env: { A: '1', B: null }, python: ['/usr/bin/env', 'python3'], stopOnEntry: true, console: 'integratedTerminal',
    });
    assert.equal(config.module, 'pkg.main');
    assert.deepEqual(config.args, ['-v', 'x y']);
    assert.deepEqual(config.env, { A: '1', B: null });
    assert.deepEqual(config.python, ['/usr/bin/env', 'python3']);
    assert.equal(config.stopOnEntry, true);
    assert.deepEqual(validateLaunch({ program: 'a.py', python: 'py' }).python, ['py']);
  });

  test('bad types name the attribute', () => {
    rejects(() => validateLaunch({ program: 'a.py', args: 'one two' }), 'args', /^launch\.json: 'args' must be an array of strings/);
    rejects(() => validateLaunch({ program: 'a.py', args: ['ok', 3] }), 'args', /'args' must be an array of strings/);
    rejects(() => validateLaunch({ program: 42 }), 'program', /'program' must be a string/);
    rejects(() => validateLaunch({ program: 'a.py', cwd: ['x'] }), 'cwd', /'cwd' must be a string/);
    rejects(() => validateLaunch({ program: 'a.py', env: { A: 1 } }), 'env', /'env\.A' must be a string, or null/);
    rejects(() => validateLaunch({ program: 'a.py', env: ['A=1'] }), 'env', /'env' must be an object/);
    rejects(() => validateLaunch({ program: 'a.py', python: [] }), 'python', /'python' must be a string or a non-empty array/);
    rejects(() => validateLaunch({ program: 'a.py', python: '' }), 'python', /'python'/);
    rejects(() => validateLaunch({ program: 'a.py', stopOnEntry: 'yes' }), 'stopOnEntry', /'stopOnEntry' must be true or false/);
    rejects(() => validateLaunch({ program: 'a.py', console: 'terminal' }), 'console', /'console' must be one of "internalConsole"/);
    rejects(() => validateLaunch({ program: 'a.py', maxTasks: 0 }), 'maxTasks', /'maxTasks' must be a positive integer/);
    rejects(() => validateLaunch({ program: 'a.py', justMyCode: 'no' }), 'justMyCode', /'justMyCode' must be true or false/);
    rejects(() => validateLaunch({ program: 'a.py', envFile: 3 }), 'envFile', /'envFile' must be a string/);
  });

  test('program and module: exactly one', () => {
    rejects(() => validateLaunch({}), 'program', /set 'program' .* or 'module'/);
    rejects(() => validateLaunch({ program: 'a.py', module: 'a' }), 'module', /either 'program' or 'module', not both/);
    rejects(() => validateLaunch({ module: 'not a module' }), 'module', /dotted module name/);
    rejects(() => validateLaunch({ program: '  ' }), 'program', /empty/);
  });

  test('malformed requests never crash the validator', () => {
    for (const raw of [null, undefined, 3, 'x', [], { program: {} }, { program: 'a', env: null }]) {
      try { validateLaunch(raw); } catch (err) { assert.ok(err instanceof ConfigError); }
      try { validateAttach(raw); } catch (err) { assert.ok(err instanceof ConfigError); }
    }
  });
});

describe('attach attributes', () => {
  test('host defaults to loopback; port may be a numeric string from a variable', () => {
    assert.deepEqual(validateAttach({ port: 5679 }), { host: '127.0.0.1', port: 5679, token: undefined, pathMappings: [], justMyCode: true, maxTasks: 1000, taskFilter: undefined });
    const full = validateAttach({ port: '5680', host: 'localhost', token: 't', pathMappings: [{ localRoot: '/l', remoteRoot: '/r', extra: 1 }], justMyCode: false, maxTasks: 5, taskFilter: 'w*' });
    assert.deepEqual(full, { host: 'localhost', port: 5680, token: 't', pathMappings: [{ localRoot: '/l', remoteRoot: '/r' }], justMyCode: false, maxTasks: 5, taskFilter: 'w*' });
  });

  test('bad values name the attribute', () => {
    rejects(() => validateAttach({}), 'port', /'port' is required/);
    rejects(() => validateAttach({ port: 0 }), 'port', /'port' must be an integer port number/);
    rejects(() => validateAttach({ port: 70000 }), 'port', /'port'/);
    rejects(() => validateAttach({ port: 1.5 }), 'port', /'port'/);
    rejects(() => validateAttach({ port: 1, token: 5 }), 'token', /'token' must be a string/);
    rejects(() => validateAttach({ port: 1, host: '' }), 'host', /'host' is empty/);
    rejects(() => validateAttach({ port: 1, pathMappings: [{ localRoot: '/l' }] }), 'pathMappings', /'pathMappings' must be an array of \{"localRoot"/);
  });
});

describe('package.json configurationAttributes', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  const debuggerEntry = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'coroscope');
  for (const [request, known] of [['launch', LAUNCH_ATTRIBUTES], ['attach', ATTACH_ATTRIBUTES]] as const) {
    test(`${request}: the validator and the manifest declare the same attributes`, () => {
      const declared = Object.keys(debuggerEntry.configurationAttributes[request].properties).sort();
      assert.deepEqual(Object.keys(known).sort(), declared);
    });
  }

  test('every initial configuration and snippet passes validation (after variable substitution)', () => {
    const substitute = (value: unknown): unknown => {
      if (typeof value === 'string') return value.replace(/^\^"?|"$/g, '').replace(/\$\{\d+:?([^}]*)\}/g, (_m, d) => d || '5679').replace(/\\?\$\{file\}/g, '/tmp/app.py');
      if (Array.isArray(value)) return value.map(substitute);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
      return value;
    };
    const configs = [...debuggerEntry.initialConfigurations, ...debuggerEntry.configurationSnippets.map((s: { body: unknown }) => s.body)];
    assert.ok(configs.length > 0);
    for (const raw of configs) {
      const config = substitute(raw) as { request: string };
      if (config.request === 'attach') validateAttach(config);
      else validateLaunch(config);
    }
  });
});

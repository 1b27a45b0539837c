// The launch/attach attribute types stay in sync with package.json, and configuration completion
// behaves as F5 and launch.json users expect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES, completeConfiguration } from '../src/launchConfiguration';
import { repoRoot } from '../../test/support/root';

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
const debuggerContribution = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'coroscope');

test('launch attributes in package.json match the LaunchAttributes type', () => {
  const declared = Object.keys(debuggerContribution.configurationAttributes.launch.properties).sort();
  assert.deepEqual(declared, [...LAUNCH_ATTRIBUTES].sort());
});

test('attach attributes in package.json match the AttachAttributes type', () => {
  const declared = Object.keys(debuggerContribution.configurationAttributes.attach.properties).sort();
  assert.deepEqual(declared, [...ATTACH_ATTRIBUTES].sort());
});

test('every attribute used by initial configurations and snippets is declared', () => {
  const known = new Set(['type', 'request', 'name', ...LAUNCH_ATTRIBUTES, ...ATTACH_ATTRIBUTES]);
  const bodies = [...debuggerContribution.initialConfigurations, ...debuggerContribution.configurationSnippets.map((s: { body: object }) => s.body)];
  for (const body of bodies) for (const key of Object.keys(body)) assert.ok(known.has(key), `undeclared attribute ${key}`);
});

test('F5 without launch.json debugs the active Python file', () => {
  const result = completeConfiguration({}, 'python');
  assert.ok('config' in result);
  assert.equal(result.config.type, 'coroscope');
  assert.equal(result.config.request, 'launch');
  assert.equal(result.config.program, '${file}');
});

test('F5 without launch.json on a non-Python editor explains what to do', () => {
  const result = completeConfiguration({}, 'markdown');
  assert.ok('error' in result && /Python file/.test(result.error));
  assert.ok('error' in completeConfiguration({}, undefined));
});

test('a launch configuration without program or module falls back to the active Python file', () => {
  const result = completeConfiguration({ type: 'coroscope', request: 'launch', name: 'x' }, 'python');
  assert.ok('config' in result && result.config.program === '${file}');
  assert.ok('error' in completeConfiguration({ type: 'coroscope', request: 'launch', name: 'x' }, 'plaintext'));
});

test('program and module together are rejected', () => {
  const result = completeConfiguration({ type: 'coroscope', request: 'launch', name: 'x', program: 'a.py', module: 'a' }, 'python');
  assert.ok('error' in result && /not both/.test(result.error));
});

test('malformed attributes are reported, not passed on', () => {
  assert.ok('error' in completeConfiguration({ type: 'coroscope', request: 'launch', name: 'x', program: 'a.py', args: 'one two' }, 'python'));
  assert.ok('error' in completeConfiguration({ type: 'coroscope', request: 'attach', name: 'x' }, 'python'));
  assert.ok('error' in completeConfiguration({ type: 'coroscope', request: 'attach', name: 'x', port: '5679' }, 'python'));
  assert.ok('error' in completeConfiguration({ type: 'coroscope', request: 'attach', name: 'x', port: 70000 }, 'python'));
  assert.ok('error' in completeConfiguration({ type: 'coroscope', request: 'connect', name: 'x' }, 'python'));
});

test('a valid attach configuration passes unchanged', () => {
  const config = { type: 'coroscope', request: 'attach', name: 'a', host: '127.0.0.1', port: 5679, token: 't' };
  const result = completeConfiguration(config, undefined);
  assert.ok('config' in result);
  assert.deepEqual(result.config, config);
});

test('a launch configuration keeps its module and args', () => {
  const result = completeConfiguration({ type: 'coroscope', request: 'launch', name: 'm', module: 'pkg.main', args: ['-v'] }, undefined);
  assert.ok('config' in result);
  assert.equal(result.config.module, 'pkg.main');
  assert.equal(result.config.program, undefined);
  assert.deepEqual(result.config.args, ['-v']);
});

// Configuration completion behaves as F5 and launch.json users expect, and what the manifest offers
// (initial configurations, snippets) passes the adapter's validation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeConfiguration } from '../src/launchConfiguration';
import { validateAttach, validateLaunch } from '../../debugger/src/launchConfig';
import { repoRoot } from '../../test/support/root';

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
const debuggerContribution = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'coroscope');

test('initial configurations and snippets pass the adapter\'s validation once completed', () => {
  const bodies = [...debuggerContribution.initialConfigurations, ...debuggerContribution.configurationSnippets.map((s: { body: object }) => s.body)];
  for (const body of bodies) {
    // Snippet bodies hold placeholders such as "^${1:5679}" (a number once inserted) and "${file}".
    const filled = JSON.parse(JSON.stringify(body)
      .replace(/"\^\$\{\d+:(\d+)\}"/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\}/g, ''));
    const result = completeConfiguration(filled, 'python');
    assert.ok('config' in result, JSON.stringify(body));
    if (result.config.request === 'attach') validateAttach(result.config);
    else validateLaunch(result.config);
  }
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

test('an unknown request is reported, not passed on', () => {
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

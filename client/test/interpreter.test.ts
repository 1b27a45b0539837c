// Interpreter discovery and the version check against real interpreters on this machine.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findOnPath, probeInterpreter, toCommand, unsupportedReason } from '../src/interpreter';
import { findPythons } from '../../test/support/pythons';

test('toCommand accepts a path or a command line and rejects anything else', () => {
  assert.deepEqual(toCommand(' /usr/bin/python3 '), ['/usr/bin/python3']);
  assert.deepEqual(toCommand(['py', '-3.12']), ['py', '-3.12']);
  assert.equal(toCommand(''), undefined);
  assert.equal(toCommand([]), undefined);
  assert.equal(toCommand([1, 2]), undefined);
  assert.equal(toCommand({ path: 'python' }), undefined);
  assert.equal(toCommand(undefined), undefined);
});

test('findOnPath prefers python3 and skips non-executable files', { skip: process.platform === 'win32' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'coroscope-path-'));
  const other = mkdtempSync(join(tmpdir(), 'coroscope-path-'));
  try {
    writeFileSync(join(dir, 'python3'), '');             // not executable: must be skipped
    writeFileSync(join(other, 'python'), '#!/bin/sh\n');
    chmodSync(join(other, 'python'), 0o755);
    assert.equal(findOnPath(['python3', 'python'], [dir, other].join(':')), join(other, 'python'));
    writeFileSync(join(other, 'python3'), '#!/bin/sh\n');
    chmodSync(join(other, 'python3'), 0o755);
    assert.equal(findOnPath(['python3', 'python'], [dir, other].join(':')), join(other, 'python3'));
    assert.equal(findOnPath(['python3'], ''), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('probeInterpreter reports the version of every Python found', async () => {
  const pythons = findPythons();
  assert.ok(pythons.length > 0, 'no Python ≥ 3.8 found');
  for (const python of pythons) {
    const probe = await probeInterpreter([python.path]);
    assert.ok(probe.ok, JSON.stringify(probe));
    assert.equal(probe.version, python.version);
    assert.equal(unsupportedReason(probe), undefined);
  }
});

test('a missing interpreter gives a readable reason', async () => {
  const probe = await probeInterpreter(['/nonexistent/python3']);
  assert.ok(!probe.ok);
  assert.match(unsupportedReason(probe) ?? '', /could not be run: not found/);
});

test('an interpreter older than 3.8 is refused with the version in the message', () => {
  const reason = unsupportedReason({ ok: true, version: '3.7.17', major: 3, minor: 7, executable: '/opt/py37/bin/python3' });
  assert.match(reason ?? '', /Python 3\.7\.17 .* too old: Coroscope needs Python 3\.8/);
  assert.equal(unsupportedReason({ ok: true, version: '3.8.0', major: 3, minor: 8, executable: 'p' }), undefined);
  assert.match(unsupportedReason({ ok: true, version: '2.7.18', major: 2, minor: 7, executable: 'p' }) ?? '', /too old/);
});

test('a program that is not Python is refused', async () => {
  const probe = await probeInterpreter([process.execPath]);   // node rejects `-c`
  assert.ok(!probe.ok);
});

/** Pythons older than 3.8 installed by pyenv, if any (the test support skips them elsewhere). */
function oldPythons(): string[] {
  const root = process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/root', '.pyenv');
  try {
    return readdirSync(join(root, 'versions'))
      .filter((v) => /^(2\.|3\.[0-7]\.)/.test(v))
      .map((v) => join(root, 'versions', v, 'bin', v.startsWith('2.') ? 'python' : 'python3'))
      .filter((p) => existsSync(p));
  } catch {
    return [];
  }
}

test('real interpreters older than 3.8 are refused', async (t) => {
  const old = oldPythons();
  if (!old.length) { t.skip('no Python older than 3.8 installed'); return; }
  for (const exe of old) {
    const probe = await probeInterpreter([exe]);
    assert.ok(probe.ok, JSON.stringify(probe));
    assert.match(unsupportedReason(probe) ?? '', /too old/);
  }
});

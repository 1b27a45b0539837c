// The manifest and the client code agree: every command the client registers is contributed (and every
// contributed command is registered), menus and views point at real ids, every setting is documented
// the way VS Code shows it and appears in the README's settings table.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoRoot } from '../../test/support/root';

const root = repoRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [readFileSync(full, 'utf8')] : [];
  });
}
const clientCode = sources(join(root, 'client', 'src')).join('\n');

/** Command ids passed to registerCommand, directly or through a constant declared in the same code. */
function registeredCommands(): Set<string> {
  const ids = new Set<string>();
  for (const m of clientCode.matchAll(/registerCommand\(\s*(?:'([^']+)'|([A-Z_]+))/g)) {
    if (m[1]) ids.add(m[1]);
    else {
      const constant = new RegExp(`const ${m[2]} = '([^']+)'`).exec(clientCode);
      assert.ok(constant, `constant ${m[2]} not found`);
      ids.add(constant[1]);
    }
  }
  return ids;
}

test('contributed commands and registered commands are the same set', () => {
  const contributed = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
  assert.deepEqual([...registeredCommands()].sort(), [...contributed].sort());
  for (const c of contributes.commands) assert.ok(c.title && c.category === 'Coroscope', `${c.command} needs a title and the Coroscope category`);
});

test('menus refer to contributed commands and views', () => {
  const commands = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
  for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) assert.ok(commands.has(item.command), `${menu} refers to unknown ${item.command}`);
  }
  for (const view of Object.values(contributes.views as Record<string, { id: string }[]>).flat()) {
    assert.match(clientCode, new RegExp(`'${view.id.replace('.', '\\.')}'`), `view ${view.id} is never created`);
  }
});

test('every setting has a scope, a markdown description and enum descriptions', () => {
  for (const [key, setting] of Object.entries(contributes.configuration.properties as Record<string, Record<string, unknown>>)) {
    assert.ok(key.startsWith('coroscope.'), key);
    assert.ok(typeof setting.scope === 'string', `${key} has no scope`);
    assert.ok(typeof setting.markdownDescription === 'string' && setting.markdownDescription.length > 20, `${key} has no markdownDescription`);
    if (Array.isArray(setting.enum)) {
      assert.equal((setting.enumDescriptions as unknown[] | undefined)?.length, setting.enum.length, `${key} needs one enumDescription per value`);
    }
  }
});

test('the README settings table lists every setting', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const key of Object.keys(contributes.configuration.properties)) {
    assert.match(readme, new RegExp(`^\\| \`${key.replace(/\./g, '\\.')}\` \\|`, 'm'), `${key} missing from the README settings table`);
  }
});

test('grammars exist for every contributed language', () => {
  for (const language of contributes.languages) {
    assert.ok(contributes.grammars.some((g: { language?: string }) => g.language === language.id), `no grammar for ${language.id}`);
  }
});

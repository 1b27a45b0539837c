// Resolves names to the qualified names they were imported as, so rules can recognise `sys.exit`,
// `from time import sleep as nap` or `import asyncio as aio` whatever the local spelling.
import type { SyntaxNode } from './parser';

/** Local name → qualified name (`aio` → `asyncio`, `nap` → `time.sleep`, `rel` → `.rel`). */
export type ImportMap = Map<string, string>;

function dotted(node: SyntaxNode | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'dotted_name' || node.type === 'identifier') return node.text.replace(/\s+/g, '');
  if (node.type === 'relative_import') return node.text.replace(/\s+/g, '');
  return undefined;
}

/**
 * Collects the imports of a module. Imports anywhere count (inside functions and `try` blocks too):
 * an imported name is rarely rebound to something unrelated, and missing `try: import x` fallbacks
 * would hide real findings.
 */
export function collectImports(root: SyntaxNode): ImportMap {
  return new Map(importEntries(root));
}

const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

/**
 * The (local name, qualified name) pairs the imports in `node`'s subtree (itself included) bind, in
 * document order; a Map built from them in order equals collectImports() on the same subtree.
 */
export function importEntries(node: SyntaxNode): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  const statements = IMPORT_TYPES.includes(node.type) ? [node] : node.descendantsOfType(IMPORT_TYPES);
  for (const stmt of statements) {
    if (!stmt) continue;
    if (stmt.type === 'import_statement') {
      for (const name of stmt.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') {
          const full = dotted(name.childForFieldName('name'));
          const alias = name.childForFieldName('alias')?.text;
          if (full && alias) entries.push([alias, full]);
        } else {
          const full = dotted(name);
          // `import a.b` binds `a`; attribute access then spells the rest.
          if (full) entries.push([full.split('.')[0], full.split('.')[0]]);
        }
      }
    } else {
      const module = dotted(stmt.childForFieldName('module_name'));
      if (!module) continue;
      const prefix = module.endsWith('.') ? module : module + '.';
      for (const name of stmt.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') {
          const orig = dotted(name.childForFieldName('name'));
          const alias = name.childForFieldName('alias')?.text;
          if (orig && alias) entries.push([alias, prefix + orig]);
        } else {
          const orig = dotted(name);
          if (orig) entries.push([orig, prefix + orig]);
        }
      }
    }
  }
  return entries;
}

/** The dotted text of an identifier/attribute chain (`a.b.c`), or undefined for anything else. */
export function dottedText(node: SyntaxNode): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute');
    if (!object || !attr) return undefined;
    const head = dottedText(object);
    return head === undefined ? undefined : `${head}.${attr.text}`;
  }
  return undefined;
}

/**
 * The qualified name an expression refers to through the imports: `aio.sleep` → `asyncio.sleep`,
 * `nap` → `time.sleep`. Names that were not imported stay as written (builtins like `open`, locals).
 */
export function qualifiedName(node: SyntaxNode, imports: ImportMap): string | undefined {
  const text = dottedText(node);
  if (text === undefined) return undefined;
  const dot = text.indexOf('.');
  const head = dot < 0 ? text : text.slice(0, dot);
  const resolved = imports.get(head);
  if (!resolved) return text;
  return dot < 0 ? resolved : resolved + text.slice(dot);
}

/** The qualified name of a call's callee (see qualifiedName). */
export function calleeName(call: SyntaxNode, imports: ImportMap): string | undefined {
  const fn = call.childForFieldName('function');
  return fn ? qualifiedName(fn, imports) : undefined;
}

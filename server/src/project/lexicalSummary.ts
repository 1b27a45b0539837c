// What the shortcut's reachability search needs from a module, read from the text without parsing:
// the paths on to other modules (imports, star imports, base classes) and, in a module that says
// `async`, its coroutine functions and which class each coroutine method belongs to (from the block
// structure of its logical lines, pythonLines.ts). Every list is a superset of what summarizeModule()
// would find — comments and strings that look like imports only add entries — so the search stays
// sound, and the standard library's modules cost a scan and a few regular expressions instead of a
// parse each. server/test/reach.test.ts checks the superset on a standard library's modules.

/** Where resolution can go on from a module, as the reachability search sees it. */
export interface ReachSummary {
  /** Names of coroutine functions and coroutine methods (any class). */
  coroutines: Iterable<string>;
  /** Classes by name: their coroutine methods and their bases, resolved through the imports when imported. */
  classes: Iterable<[string, { asyncMethods: Iterable<string>; bases: readonly string[] }]>;
  /** Local name → qualified name, every binding (a name imported twice keeps both). */
  imports: Iterable<[string, string]>;
  starImports: readonly string[];
}

import { logicalLines, type LogicalLine } from '../analysis/pythonLines';

/** Whitespace, including backslash line continuations. */
const WS = String.raw`(?:[ \t]|\\\r?\n)`;
/** A statement start: line start (after indentation), `;`, or the `:` of a one-line block. */
const START = String.raw`(?:^|[;:])[ \t]*`;
/**
 * A keyword at a statement start. The keyword comes first and the start is checked behind it: the same
 * matches, but V8 can then skip through the text looking for the keyword's letters instead of trying
 * the pattern at every position (~3.5× faster on the standard library).
 */
const atStart = (keyword: string) => String.raw`${keyword}(?<=${START}${keyword})`;
// The imported names are read in a lookahead, so a match consumes only up to `import`: a false match
// in a string or comment (`from x import (` in a docstring) must not swallow the real imports after it.
const FROM = new RegExp(String.raw`${atStart('from')}\b((?:[ \t.\w]|\\\r?\n)*?)\bimport\b${WS}*(?=(\([^)]*\)|(?:[^\n\\;]|\\\r?\n)*))`, 'gm');
const IMPORT = new RegExp(String.raw`${atStart('import')}\b(?=((?:[^\n\\;]|\\\r?\n)*))`, 'gm');
// A base list, after the type parameters of Python 3.12+ (`class Box[T: (int, str)](Base):`).
const CLASS = new RegExp(String.raw`${atStart('class')}${WS}+(\w+)${WS}*(\[)?`, 'gm');
const OPEN_BASES = new RegExp(String.raw`${WS}*\(`, 'y');
const DOTTED = /\w+(?:\s*\.\s*\w+)*/g;

const squash = (s: string) => s.replace(/\\\r?\n|\s+/g, '');

/**
 * A lexical summary of a module whose code is ASCII (strings and comments may be anything); undefined
 * when the text is outside what this reading handles exactly (non-ASCII identifiers, which `\w` does
 * not match; the doubts of pythonLines.ts), so the caller parses instead.
 */
export function lexicalSummary(text: string): ReachSummary | undefined {
  // eslint-disable-next-line no-control-regex
  const ascii = !/[^\x00-\x7f]/.test(text);
  const needsLines = !ascii || /\basync\b/.test(text);
  // Lone carriage returns end lines for Python, not for the line reader.
  const read = needsLines && !/\r(?!\n)/.test(text) ? logicalLines(text) : undefined;
  if (needsLines && (!read || read.nonAsciiCode)) return undefined;
  const definitions = /\basync\b/.test(text) ? asyncDefinitions(text, read!.lines) : { coroutines: [], methods: new Map<string, string[]>() };
  if (!definitions) return undefined;
  const imports: [string, string][] = [];
  const starImports: string[] = [];
  for (const m of text.matchAll(FROM)) {
    const module = squash(m[1]);
    if (!module) continue;
    const prefix = module.endsWith('.') ? module : module + '.';
    for (const item of m[2].replace(/#[^\n]*/g, '').replace(/[()]/g, '').split(',')) {
      const [name, alias] = item.split(/\bas\b/).map(squash);
      if (name === '*') starImports.push(module);
      else if (name) imports.push([alias || name, prefix + name]);
    }
  }
  for (const m of text.matchAll(IMPORT)) {
    for (const item of m[1].replace(/#[^\n]*/, '').split(',')) {
      const [name, alias] = item.split(/\bas\b/).map(squash);
      if (!name) continue;
      if (alias) imports.push([alias, name]);
      else imports.push([name.split('.')[0], name.split('.')[0]]);
    }
  }
  const resolve = new Map<string, string[]>();
  for (const [local, target] of imports) resolve.set(local, [...(resolve.get(local) ?? []), target]);
  const classes: [string, { asyncMethods: string[]; bases: string[] }][] = [];
  for (const m of text.matchAll(CLASS)) {
    let at = m.index! + m[0].length;
    if (m[2]) at += closingText(text, at).length + 1;
    OPEN_BASES.lastIndex = at;
    if (!OPEN_BASES.test(text)) continue;
    const bases: string[] = [];
    for (const d of closingText(text, OPEN_BASES.lastIndex).matchAll(DOTTED)) {
      const base = squash(d[0]);
      const head = base.split('.')[0];
      const targets = resolve.get(head);
      if (targets) for (const t of targets) bases.push(t + base.slice(head.length));
      else bases.push(base);
    }
    classes.push([m[1], { asyncMethods: definitions.methods.get(m[1]) ?? [], bases }]);
  }
  // Classes without a base list have no bases to follow, only their coroutine methods.
  const withBases = new Set(classes.map(([name]) => name));
  for (const [name, asyncMethods] of definitions.methods) if (!withBases.has(name)) classes.push([name, { asyncMethods, bases: [] }]);
  return { coroutines: definitions.coroutines, classes, imports, starImports };
}

const DEFINITION = new RegExp(String.raw`(?:(async)${WS}+)?(def|class)${WS}+(\w+)`, 'y');

/**
 * The module's coroutine functions outside any def or class (inside `if`/`try`/… blocks included,
 * as summarizeModule() looks into them), and the coroutine methods directly in each class body (a
 * class of any depth: extra entries are harmless). Undefined when the block structure is uncertain.
 */
function asyncDefinitions(text: string, lines: readonly LogicalLine[]): { coroutines: string[]; methods: Map<string, string[]> } | undefined {
  const coroutines: string[] = [];
  const methods = new Map<string, string[]>();
  /** Enclosing lines, innermost last: indentation, the class name if a class, whether in a def or class. */
  const stack: { indent: number; className?: string; nested: boolean }[] = [];
  for (const { start, indent } of lines) {
    let popped: number | undefined;
    while (stack.length && stack[stack.length - 1].indent >= indent) popped = stack.pop()!.indent;
    // A dedent must return to a level that was open (Python's "unindent does not match"), and a
    // module's first statement is not indented.
    if ((popped !== undefined && popped !== indent) || (!stack.length && indent > 0)) return undefined;
    const parent = stack[stack.length - 1];
    DEFINITION.lastIndex = start;
    const m = DEFINITION.exec(text);
    if (m?.[1] && m[2] === 'def') {
      if (parent?.className !== undefined) {
        const list = methods.get(parent.className);
        if (list) list.push(m[3]); else methods.set(parent.className, [m[3]]);
      } else if (!parent?.nested) {
        coroutines.push(m[3]);
      }
    }
    const definition = m !== null && !(m[1] && m[2] === 'class');
    stack.push({ indent, className: definition && m[2] === 'class' ? m[3] : undefined, nested: (parent?.nested ?? false) || definition });
  }
  return { coroutines, methods };
}

/** The text from just after an opening bracket to its closing one (or the end): a base or type parameter list. */
function closingText(text: string, from: number): string {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}

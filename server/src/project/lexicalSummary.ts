// What the shortcut's reachability search needs from a module that defines no coroutine function:
// only the paths on to other modules (imports, star imports, base classes), read from the text
// without parsing. Every list is a superset of what summarizeModule() would find — comments and
// strings that look like imports only add entries — so the search stays sound, and the standard
// library's hundreds of such modules cost a few regular expressions instead of a parse each.

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

/** Whitespace, including backslash line continuations. */
const WS = String.raw`(?:[ \t]|\\\r?\n)`;
/** A statement start: line start (after indentation), `;`, or the `:` of a one-line block. */
const START = String.raw`(?:^|[;:])[ \t]*`;
const FROM = new RegExp(String.raw`${START}from\b((?:[ \t.\w]|\\\r?\n)*?)\bimport${WS}*(\([^)]*\)|(?:[^\n\\;]|\\\r?\n)*)`, 'gm');
const IMPORT = new RegExp(String.raw`${START}import\b((?:[^\n\\;]|\\\r?\n)*)`, 'gm');
const CLASS = new RegExp(String.raw`${START}class${WS}+(\w+)${WS}*\(`, 'gm');
const DOTTED = /\w+(?:\s*\.\s*\w+)*/g;

const squash = (s: string) => s.replace(/\\\r?\n|\s+/g, '');

/**
 * A lexical summary of an ASCII module without `async def`; undefined when the text is outside
 * what the expressions read exactly (non-ASCII identifiers), so the caller parses instead.
 */
export function lexicalSummary(text: string): ReachSummary | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text) || /\basync\b/.test(text)) return undefined;
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
    const bases: string[] = [];
    for (const d of basesText(text, m.index! + m[0].length).matchAll(DOTTED)) {
      const base = squash(d[0]);
      const head = base.split('.')[0];
      const targets = resolve.get(head);
      if (targets) for (const t of targets) bases.push(t + base.slice(head.length));
      else bases.push(base);
    }
    classes.push([m[1], { asyncMethods: [], bases }]);
  }
  return { coroutines: [], classes, imports, starImports };
}

/** The text of a class's base list, from just after its `(` to the matching `)` (or the end). */
function basesText(text: string, from: number): string {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
}

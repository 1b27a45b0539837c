// Python's logical lines without a parser: where each statement starts and how far it is indented,
// with strings (f-string replacement fields included, which are code and may hold strings of their
// own), comments, bracketed continuations and backslash continuations skipped as Python's tokenizer
// skips them. Enough to see a module's block structure — which `def` sits directly in which `class` —
// for the lexical summaries. Anything this reading is not sure of (tabs or form feeds in indentation,
// a dedent to a level never opened, unterminated strings or brackets) gives undefined, and the caller
// parses instead.

/** One logical line: its first character and its indentation (columns, spaces only). */
export interface LogicalLine {
  start: number;
  indent: number;
}

/** A module's logical lines, and whether any non-ASCII character is code (an identifier) rather than string or comment. */
export interface ModuleLines {
  lines: LogicalLine[];
  nonAsciiCode: boolean;
}

/** Set by the scanners when they meet a non-ASCII character outside strings and comments. */
let nonAsciiCode = false;

const QUOTE = 0x22, APOSTROPHE = 0x27, BACKSLASH = 0x5c, HASH = 0x23, NEWLINE = 0x0a, CR = 0x0d;

/** Whether the letters just before `quote` are a string prefix containing f (f, rf, Rb is not). */
function isFString(text: string, quote: number): boolean {
  let i = quote;
  while (i > 0 && /[A-Za-z]/.test(text[i - 1])) i--;
  const prefix = text.slice(i, quote).toLowerCase();
  // A prefix is a whole token: `elif"x"` is the keyword and a plain string.
  if (i > 0 && /\w/.test(text[i - 1])) return false;
  return prefix === 'f' || prefix === 'rf' || prefix === 'fr';
}

/** Thrown when the text is outside what this reading handles; the caller falls back to parsing. */
class Unsure extends Error {}

/**
 * Scans from `i` (just after an opening quote) to just after the string's end. In an f-string, each
 * `{…}` replacement field is scanned as code up to its closing brace (its format spec as string text).
 */
function skipString(text: string, i: number, quote: number, triple: boolean, f: boolean): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) { i += 2; continue; }
    if (c === quote) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
    } else if ((c === NEWLINE || c === CR) && !triple) {
      throw new Unsure();
    } else if (f && c === 0x7b /* { */) {
      if (text.charCodeAt(i + 1) === 0x7b) { i += 2; continue; }
      i = skipField(text, i + 1);
      continue;
    }
    i++;
  }
  throw new Unsure();
}

/** Scans an f-string replacement field from after its `{` to after its `}`. */
function skipField(text: string, i: number): number {
  let depth = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      i = skipQuoted(text, i);
      continue;
    }
    if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x29 || c === 0x5d) depth--;
    else if (c === 0x7d /* } */) {
      if (depth === 0) return i + 1;
      depth--;
    } else if (c === 0x3a /* : */ && depth === 0) {
      // The format spec: string text up to the field's `}`, with nested fields (`{x:{width}}`).
      return skipFormatSpec(text, i + 1);
    } else if (c === HASH) {
      throw new Unsure();
    } else if (c > 0x7f) {
      nonAsciiCode = true;
    }
    if (depth < 0) throw new Unsure();
    i++;
  }
  throw new Unsure();
}

function skipFormatSpec(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) { i = skipField(text, i + 1); continue; }
    if (c === 0x7d) return i + 1;
    if (c === NEWLINE || c === CR || c === QUOTE || c === APOSTROPHE || c === BACKSLASH) throw new Unsure();
    i++;
  }
  throw new Unsure();
}

/** Scans a string literal starting at its opening quote `i`, prefix already behind it. */
function skipQuoted(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  const triple = text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote;
  return skipString(text, i + (triple ? 3 : 1), quote, triple, isFString(text, i));
}

/** The logical lines of a module, or undefined when the text is outside what this reading handles. */
export function logicalLines(text: string): ModuleLines | undefined {
  nonAsciiCode = false;
  try {
    const lines = scan(text);
    return { lines, nonAsciiCode };
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

function scan(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const n = text.length;
  let i = 0;
  let depth = 0;
  // At a physical line's start with no statement open: the next token starts a logical line.
  let atStart = true;
  while (i < n) {
    if (atStart) {
      const lineStart = i;
      while (i < n && text.charCodeAt(i) === 0x20) i++;
      const c = text.charCodeAt(i);
      if (c === 0x09 || c === 0x0c) throw new Unsure();
      if (i >= n) break;
      if (c === NEWLINE || c === CR || c === HASH || c === BACKSLASH) {
        // Blank or comment-only lines are no statements; a line that is only a continuation is rare: be sure.
        if (c === BACKSLASH) throw new Unsure();
        if (c === HASH) while (i < n && text.charCodeAt(i) !== NEWLINE) i++;
        i++;
        continue;
      }
      lines.push({ start: i, indent: i - lineStart });
      atStart = false;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) { i = skipQuoted(text, i); continue; }
    if (c === HASH) { while (i < n && text.charCodeAt(i) !== NEWLINE) i++; continue; }
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === NEWLINE) { i += 2; continue; }
      if (next === CR) { i += text.charCodeAt(i + 2) === NEWLINE ? 3 : 2; continue; }
      throw new Unsure();
    }
    if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x29 || c === 0x5d || c === 0x7d) { if (--depth < 0) throw new Unsure(); }
    else if (c === NEWLINE && depth === 0) atStart = true;
    else if (c > 0x7f) nonAsciiCode = true;
    i++;
  }
  if (depth !== 0) throw new Unsure();
  return lines;
}

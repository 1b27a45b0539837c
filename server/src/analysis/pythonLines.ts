// Python source read without a parser, as Python's tokenizer reads it: strings (f-string replacement
// fields included, which are code and may hold strings of their own), comments, bracketed and
// backslash continuations. Two uses: a module's logical lines, where each statement starts and how
// far it is indented — enough to see which `def` sits directly in which `class`, for the lexical
// summaries — and whether a word occurs in code rather than in a string or comment, for the
// prefilter. Anything this reading is not sure of (tabs or form feeds in indentation, a dedent to a
// level never opened, unterminated strings or brackets) gives undefined, and the caller falls back
// to what it did without it (parsing, or taking every occurrence as code).

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
/** When set, the scanners add the [start, end) ranges of comments and of strings' literal text here. */
let blanks: number[] | null = null;

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
function skipString(text: string, i: number, quote: number, triple: boolean, f: boolean, opening: number): number {
  const n = text.length;
  // Where the literal text being skipped began: the opening quote, then the end of each field.
  let literal = opening;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) { i += 2; continue; }
    if (c === quote) {
      const end = !triple ? i + 1 : text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote ? i + 3 : -1;
      if (end >= 0) { blanks?.push(literal, end); return end; }
    } else if ((c === NEWLINE || c === CR) && !triple) {
      throw new Unsure();
    } else if (f && c === 0x7b /* { */) {
      if (text.charCodeAt(i + 1) === 0x7b) { i += 2; continue; }
      blanks?.push(literal, i);
      i = literal = skipField(text, i + 1);
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
  return skipString(text, i + (triple ? 3 : 1), quote, triple, isFString(text, i), i);
}

/** The logical lines of a module, or undefined when the text is outside what this reading handles. */
export function logicalLines(text: string): ModuleLines | undefined {
  nonAsciiCode = false;
  try {
    const lines = scan(text, true);
    return { lines, nonAsciiCode };
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

/**
 * The code of a module: its text with every comment and the literal text of every string replaced by
 * a space (f-string replacement fields are code and stay). Undefined when the reading is unsure.
 */
export function codeText(text: string): string | undefined {
  // Lone carriage returns end comments for Python, not for this reading.
  if (/\r(?!\n)/.test(text)) return undefined;
  blanks = [];
  try {
    scan(text, false);
    const parts: string[] = [];
    let at = 0;
    for (let k = 0; k < blanks.length; k += 2) {
      parts.push(text.slice(at, blanks[k]));
      at = blanks[k + 1];
    }
    parts.push(text.slice(at));
    return parts.join(' ');
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  } finally {
    blanks = null;
  }
}

/** Scans a module; `structure`: also be sure of its indentation (logical lines), else only of its tokens. */
function scan(text: string, structure: boolean): LogicalLine[] {
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
      if (structure && (c === 0x09 || c === 0x0c)) throw new Unsure();
      if (i >= n) break;
      if (c === NEWLINE || c === CR || c === HASH || (c === BACKSLASH && structure)) {
        // Blank or comment-only lines are no statements; a line that is only a continuation is rare: be sure.
        if (c === BACKSLASH) throw new Unsure();
        if (c === HASH) { const from = i; while (i < n && text.charCodeAt(i) !== NEWLINE) i++; blanks?.push(from, i); }
        i++;
        continue;
      }
      lines.push({ start: i, indent: i - lineStart });
      atStart = false;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) { i = skipQuoted(text, i); continue; }
    if (c === HASH) { const from = i; while (i < n && text.charCodeAt(i) !== NEWLINE) i++; blanks?.push(from, i); continue; }
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

/**
 * Whether `pattern` (global) matches in code, outside strings and comments: true at the first match
 * in code, reading the text only that far; undefined when the reading is unsure (a match inside an
 * unterminated string, say), so the caller takes the matches as code.
 */
export function matchesInCode(text: string, pattern: RegExp): boolean | undefined {
  if (/\r(?!\n)/.test(text)) return undefined;
  const n = text.length;
  blanks = [];
  try {
    let i = 0;
    // Blank ranges come sorted and disjoint; `k` is the first that can hold this match or a later one.
    let k = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      // Tokens up to the match; only strings and comments matter for where code is.
      while (i <= m.index && i < n) {
        const c = text.charCodeAt(i);
        if (c === QUOTE || c === APOSTROPHE) i = skipQuoted(text, i);
        else if (c === HASH) { const start = i; while (i < n && text.charCodeAt(i) !== NEWLINE) i++; blanks.push(start, i); }
        else i++;
      }
      while (k < blanks.length && blanks[k + 1] <= m.index) k += 2;
      if (!(k < blanks.length && blanks[k] <= m.index)) return true;
      // On from the end of this blank only, not past the whole string: an f-string's field after it is code.
      pattern.lastIndex = blanks[k + 1];
    }
    return false;
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  } finally {
    blanks = null;
  }
}

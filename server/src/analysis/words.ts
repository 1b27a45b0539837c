// The words of a source text, for lexical shortcuts that must not miss an identifier.

/** The identifier-like words of a text, raw and NFKC-normalised (a superset of its identifiers). */
export function wordsOf(text: string): Set<string> {
  const words = new Set(text.split(/[\s.,:;()[\]{}=+\-*/%&|^~<>!@"'#\\`$?]+/));
  // Python NFKC-normalises identifiers, so `ｆｅｔｃｈ` names `fetch`.
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) for (const w of [...words]) words.add(w.normalize('NFKC'));
  return words;
}

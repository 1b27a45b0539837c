// Hover on an `await` (suspend point k of n, what it waits for, whether it can complete) and on calls
// of coroutine functions. The text comes from the analysis core as Markdown.
import { MarkupKind, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analysisReady, describeAt } from '../analysis';

export function registerHover(connection: Connection, documents: TextDocuments<TextDocument>): void {
  connection.onHover((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !analysisReady()) return null;
    try {
      const text = describeAt(doc.getText(), params.position);
      return text ? { contents: { kind: MarkupKind.Markdown, value: text } } : null;
    } catch (err) {
      connection.console.error(`Coroscope hover failed: ${(err as Error)?.stack ?? err}`);
      return null;
    }
  });
}

// The `coroscope/suspendPoints` custom request (client/src/protocol.ts) behind the "N suspend points"
// CodeLens: every `async def` of a document with the suspend points of its own body. The analysis core
// finds them (the same count hover's "suspend point k of n" uses); this file only speaks LSP.
import { RequestType, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  SUSPEND_POINTS_REQUEST, type SuspendPointsParams, type SuspendPointsResult,
} from '../../../client/src/protocol';
import { analysisReady, initAnalysis } from '../analysis';
import { asyncFunctionSuspendPoints } from '../analysis/suspendPoints';
import { toLspRange } from './convert';

const SuspendPointsRequest = new RequestType<SuspendPointsParams, SuspendPointsResult, void>(SUSPEND_POINTS_REQUEST);

/** Answers `coroscope/suspendPoints`; an unknown document or a failure give no functions. */
export function registerSuspendPoints(connection: Connection, documents: TextDocuments<TextDocument>): void {
  connection.onRequest(SuspendPointsRequest, async (params) => {
    const uri = typeof params?.textDocument?.uri === 'string' ? params.textDocument.uri : undefined;
    if (!uri || !documents.get(uri)) return { functions: [] };
    try {
      // The editor asks for lenses as soon as a file opens, possibly before the parser has loaded.
      if (!analysisReady()) await initAnalysis();
      // Read after the wait: the document may have changed (or closed) meanwhile.
      const doc = documents.get(uri);
      if (!doc) return { functions: [] };
      return {
        functions: asyncFunctionSuspendPoints(doc.getText()).map((fn) => ({
          name: fn.name,
          range: toLspRange(fn.range),
          suspendPoints: fn.suspendPoints.map((p) => ({ kind: p.kind, range: toLspRange(p.range) })),
        })),
      };
    } catch (err) {
      connection.console.error(`Coroscope suspend points failed: ${(err as Error)?.stack ?? err}`);
      return { functions: [] };
    }
  });
}

// The Coroscope language server. This file only wires: the connection (transport chosen from argv:
// --stdio, --node-ipc, --socket=N, as vscode-languageserver does), the document store, settings and
// the features. Analysis lives in ./analysis, LSP conversions in ./features.
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND, registerCodeActions } from './features/codeActions';
import { registerDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { DocumentSettings } from './features/settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new DocumentSettings(connection);

connection.onInitialize((params) => {
  settings.supportsConfiguration = !!params.capabilities.workspace?.configuration;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
    },
    serverInfo: { name: 'coroscope', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (settings.supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'coroscope' }).catch(() => undefined);
  }
});

const recheckAll = registerDiagnostics(connection, documents, { optionsFor: (uri) => settings.optionsFor(uri) });
registerCodeActions(connection, documents, (uri) => settings.optionsFor(uri));
registerHover(connection, documents);

connection.onDidChangeConfiguration(() => { settings.invalidate(); recheckAll(); });
connection.onDidChangeWatchedFiles((params) => {
  if (params.changes.some((c) => c.uri.endsWith('pyproject.toml'))) { settings.invalidate(); recheckAll(); }
});

// A bug anywhere must not kill the server mid-session; log it where the client's output channel shows it.
process.on('uncaughtException', (err) => connection.console.error(`Coroscope server error: ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => connection.console.error(`Coroscope server error: ${(err as Error)?.stack ?? err}`));

documents.listen(connection);
connection.listen();

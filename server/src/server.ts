// The Coroscope language server. This file only wires: the connection (transport chosen from argv:
// --stdio, --node-ipc, --socket=N, as vscode-languageserver does), the document store, settings and
// the features. Analysis lives in ./analysis, LSP conversions in ./features.
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND, registerCodeActions } from './features/codeActions';
import { filePath } from './features/convert';
import { registerDependantsRecheck } from './features/dependants';
import { registerDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { DocumentSettings } from './features/settings';
import { registerSuspendPoints } from './features/suspendPoints';
import { indexWorkspace } from './features/workspaceIndex';
import { WorkspaceModules } from './project/workspace';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new DocumentSettings(connection);
// Cross-file resolution sees unsaved editor text before the disk.
const workspace = new WorkspaceModules((file) => documents.get(pathToFileURL(file).href)?.getText());

/** Settings plus, for files on disk, the workspace context for cross-file resolution. */
async function optionsFor(uri: string) {
  const options = await settings.optionsFor(uri);
  const path = filePath(uri);
  return path ? { ...options, project: workspace.contextFor(path) } : options;
}

let pull = false;
let folders: WorkspaceFolder[] = [];
let progressSupport = false;

connection.onInitialize((params) => {
  settings.supportsConfiguration = !!params.capabilities.workspace?.configuration;
  // Pull only when the client both pulls and can be asked to re-pull (cross-file changes need that).
  pull = !!params.capabilities.textDocument?.diagnostic && !!params.capabilities.workspace?.diagnostics?.refreshSupport;
  progressSupport = !!params.capabilities.window?.workDoneProgress;
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  return {
    capabilities: {
      ...(pull ? { diagnosticProvider: { identifier: 'coroscope', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
    },
    serverInfo: { name: 'coroscope', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  void indexWorkspace(connection, folders, workspace, progressSupport, () => recheckAll());
  if (settings.supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'coroscope' }).catch(() => undefined);
  }
});

const recheckAll = registerDiagnostics(connection, documents, { optionsFor, pull: () => pull });
registerCodeActions(connection, documents, optionsFor);
registerDependantsRecheck(documents, workspace, recheckAll);
registerHover(connection, documents);
registerSuspendPoints(connection, documents);

connection.onDidChangeConfiguration(() => { settings.invalidate(); recheckAll(); });
connection.onDidChangeWatchedFiles((params) => {
  let recheck = false;
  for (const change of params.changes) {
    if (change.uri.endsWith('pyproject.toml')) { settings.invalidate(); recheck = true; }
    const path = filePath(change.uri);
    // Any module appearing, going or changing on disk may answer cross-file questions differently, even
    // one never summarised before (a new file): findings kept per function that asked are redone.
    if (path && /\.pyi?$/.test(path)) { workspace.invalidate(path); recheck = true; }
  }
  if (recheck) recheckAll();
});

// A bug anywhere must not kill the server mid-session; log it where the client's output channel shows it.
process.on('uncaughtException', (err) => connection.console.error(`Coroscope server error: ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => connection.console.error(`Coroscope server error: ${(err as Error)?.stack ?? err}`));

documents.listen(connection);
connection.listen();

// Command "Coroscope: Show Task Tree": a read-only `coroscope-tasks` document with the task tree as text,
// whose file:line references open the source.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../launchConfiguration';
import type { DebugState } from './debugState';
import { renderTaskTree, type RenderedLink } from './model';
import { fetchTaskTree } from './taskSource';

const SCHEME = 'coroscope-tasks';

/** Shows `file` relative to the workspace folder holding it. */
function displayPath(file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  return folder ? path.relative(folder.uri.fsPath, file) : file;
}

class TaskTreeDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider {
  private readonly contents = new Map<string, { text: string; links: RenderedLink[] }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, rendered: { text: string; links: RenderedLink[] }): void {
    this.contents.set(uri.toString(), rendered);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString())?.text ?? 'No task tree: run "Coroscope: Show Task Tree" during a Coroscope debug session.\n';
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const rendered = this.contents.get(document.uri.toString());
    return (rendered?.links ?? []).map((link) => {
      const target = vscode.Uri.file(link.target.file).with({ fragment: `L${link.target.line}${link.target.column ? `,${link.target.column}` : ''}` });
      const documentLink = new vscode.DocumentLink(new vscode.Range(link.line, link.startColumn, link.line, link.endColumn), target);
      documentLink.tooltip = `Open ${link.target.file}:${link.target.line}`;
      return documentLink;
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the command and the read-only document behind it. */
export function registerTaskTreeDocument(context: vscode.ExtensionContext, state: DebugState, log: vscode.LogOutputChannel): void {
  const documents = new TaskTreeDocuments();
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
    vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME }, documents),
    vscode.commands.registerCommand('coroscope.showTaskTree', async () => {
      const session = vscode.debug.activeDebugSession;
      if (session?.type !== DEBUG_TYPE) {
        void vscode.window.showInformationMessage('Start a Coroscope debug session to see its task tree.');
        return;
      }
      try {
        const stopped = state.isStopped(session);
        const tree = await fetchTaskTree(session, stopped);
        const header = `Tasks of "${session.name}" (${stopped ? 'paused' : 'running'}) at ${new Date().toLocaleTimeString()}`;
        // One document per session, refreshed in place on every run of the command.
        const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${session.name.replace(/[\\/]/g, '_')} tasks.coroscope-tasks`, query: session.id });
        documents.set(uri, renderTaskTree(tree, header, displayPath));
        const document = await vscode.workspace.openTextDocument(uri);
        if (document.languageId !== 'coroscope-tasks') await vscode.languages.setTextDocumentLanguage(document, 'coroscope-tasks');
        await vscode.window.showTextDocument(document, { preview: false });
      } catch (error) {
        log.error('could not read the task tree', error);
        void vscode.window.showErrorMessage(`Coroscope: could not read the task tree: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

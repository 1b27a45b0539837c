// Open documents as modules of the workspace. When a module other files depend on changes (a `def`
// becomes `async def`), their results may change too.
// Re-checking the dependants forgets the kept results that asked about workspace modules, so doing it
// on each keystroke would cost every open dependant a fresh analysis per character typed. The edited
// document is analysed at once as always; the dependants once the typing pauses (every keystroke
// pushes a pending re-check back). Until then a dependant shows its last results, as with an edit not
// yet saved. A keystroke changes a text, not which modules exist, so results that only asked about
// names outside the workspace (`asyncio.sleep`) stay; opening or closing a document not on disk
// makes a module appear or go (an open document exists for lookups).
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProjectChange } from '../analysis/reuse';
import { isFile as onDisk, type WorkspaceModules } from '../project/workspace';
import { filePath } from './convert';

const DEPENDANTS_RECHECK_DELAY_MS = 250;

/**
 * Keeps the workspace's knowledge of open documents current as they are opened, typed in and closed,
 * and re-checks the open documents (`recheckAll`) once typing pauses, when what changed had been read.
 */
export function registerDependantsRecheck(documents: TextDocuments<TextDocument>, workspace: WorkspaceModules, recheckAll: (change: ProjectChange) => void): void {
  let dependantsRecheck: NodeJS.Timeout | undefined;
  let pendingChange: ProjectChange | undefined;
  function recheckDependants(change: ProjectChange): void {
    pendingChange = pendingChange === 'files' ? 'files' : change;
    clearTimeout(dependantsRecheck);
    dependantsRecheck = setTimeout(() => {
      const what = pendingChange ?? change;
      dependantsRecheck = pendingChange = undefined;
      recheckAll(what);
    }, DEPENDANTS_RECHECK_DELAY_MS);
  }
  const othersOpen = (uri: string): boolean => documents.all().some((d) => d.uri !== uri);
  const opening = new Set<string>();
  documents.onDidOpen((e) => { opening.add(e.document.uri); });
  documents.onDidChangeContent((e) => {
    const path = filePath(e.document.uri);
    if (!path) return;
    const change: ProjectChange = opening.delete(e.document.uri) && !onDisk(path) ? 'files' : 'texts';
    // A module appearing changes answers nothing recorded ("no such module"): re-check any other document.
    const read = change === 'files' ? workspace.invalidate(path) || othersOpen(e.document.uri) : workspace.contentChanged(path);
    // Typing on pushes a pending re-check back, even once the text is no longer read by anyone.
    if (read || dependantsRecheck) recheckDependants(change);
  });
  documents.onDidClose((e) => {
    opening.delete(e.document.uri);
    const path = filePath(e.document.uri);
    if (!path) return;
    // Its unsaved text gives way to the disk's (or, never saved, the module goes).
    const change: ProjectChange = onDisk(path) ? 'texts' : 'files';
    if (change === 'files' ? workspace.invalidate(path) || othersOpen(e.document.uri) : workspace.contentChanged(path)) recheckDependants(change);
  });
}

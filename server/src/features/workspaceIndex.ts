// Indexes every Python file of the workspace folders in the background (skipping virtual
// environments, site-packages, node_modules, .git, __pycache__), reporting LSP work-done progress,
// so cross-file resolution knows all import roots and has the coroutine-defining modules summarised
// before the user opens the files that use them. Runs in slices so requests are served meanwhile.
import { fileURLToPath } from 'node:url';
import type { Connection, WorkspaceFolder } from 'vscode-languageserver';
import { analysisReady, initAnalysis } from '../analysis';
import { collectPythonFiles } from '../cli/files';
import type { WorkspaceModules } from '../project/workspace';

const SLICE = 25;

/** Indexes the folders; resolves when done. `onIndexed` runs after (e.g. to re-check open documents). */
export async function indexWorkspace(connection: Connection, folders: readonly WorkspaceFolder[], workspace: WorkspaceModules, withProgress: boolean, onIndexed: () => void): Promise<void> {
  const paths = folders.map((f) => { try { return fileURLToPath(f.uri); } catch { return undefined; } }).filter((p): p is string => !!p);
  if (!paths.length) return;
  let files: string[] = [];
  for (const path of paths) {
    try { files.push(...collectPythonFiles([path])); } catch { /* folder vanished */ }
  }
  files = [...new Set(files)];
  const progress = withProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
  progress?.begin('Coroscope: indexing Python files', 0, `0/${files.length}`, false);
  try {
    if (!analysisReady()) await initAnalysis();
    for (let i = 0; i < files.length; i += SLICE) {
      for (const file of files.slice(i, i + SLICE)) {
        try { workspace.indexFile(file); } catch (err) { connection.console.error(`Coroscope could not index ${file}: ${(err as Error)?.message ?? err}`); }
      }
      const done = Math.min(files.length, i + SLICE);
      progress?.report(Math.round((done / files.length) * 100), `${done}/${files.length}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    progress?.done();
  }
  connection.console.info(`Coroscope indexed ${files.length} Python files`);
  onIndexed();
}

// Analysis options for a document: editor settings (`coroscope.lint.select`, `coroscope.lint.ignore`,
// `coroscope.pythonVersion`) over the nearest pyproject.toml's [tool.coroscope] / requires-python.
// Notebook cells allow top-level await.
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import type { AnalyzeOptions } from '../analysis';
import { mergeOptions, parsePythonVersion, ProjectConfigCache } from '../config/pyproject';

interface EditorSettings {
  lint?: { select?: string[]; ignore?: string[] };
  pythonVersion?: string;
}

export class DocumentSettings {
  private readonly projects = new ProjectConfigCache();
  private readonly editor = new Map<string, Promise<EditorSettings>>();
  /** Set from the client's capabilities during initialize. */
  supportsConfiguration = false;

  constructor(private readonly connection: Connection) {}

  /** Forget cached settings (configuration or a pyproject.toml changed). */
  invalidate(): void {
    this.editor.clear();
    this.projects.clear();
  }

  private editorSettings(uri: string): Promise<EditorSettings> {
    if (!this.supportsConfiguration) return Promise.resolve({});
    let pending = this.editor.get(uri);
    if (!pending) {
      pending = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'coroscope' })
        .then((s: unknown) => (s && typeof s === 'object' ? s as EditorSettings : {}), () => ({}));
      this.editor.set(uri, pending);
    }
    return pending;
  }

  /** The options to analyse `uri` with. */
  async optionsFor(uri: string): Promise<AnalyzeOptions> {
    const editor = await this.editorSettings(uri);
    let project = {};
    if (uri.startsWith('file:')) {
      try { project = this.projects.forFile(fileURLToPath(uri)); } catch { /* not a local path */ }
    }
    const fromEditor: Partial<AnalyzeOptions> = {
      select: Array.isArray(editor.lint?.select) ? editor.lint!.select : undefined,
      ignore: Array.isArray(editor.lint?.ignore) ? editor.lint!.ignore : undefined,
      pythonVersion: typeof editor.pythonVersion === 'string' && editor.pythonVersion ? parsePythonVersion(editor.pythonVersion) : undefined,
    };
    const options = mergeOptions(fromEditor, project);
    if (uri.startsWith('vscode-notebook-cell:')) options.allowTopLevelAwait = true;
    return options;
  }
}

// Facade over the optional Python extension (STYLE §6): its interpreter when it is installed, never a
// dependency. Order: the `coroscope.python` setting (an explicit choice wins), the Python extension's
// selected interpreter, then python3/python on PATH.
import * as vscode from 'vscode';
import { findOnPath, probeInterpreter, toCommand, type InterpreterChoice, type ProbeResult } from './interpreter';

const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The parts of the Python extension's exported API we use, typed structurally (no package dependency). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(environment: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
  };
}

/** Chooses and checks the interpreter for debug sessions. */
export class PythonFacade implements vscode.Disposable {
  private readonly probes = new Map<string, Promise<ProbeResult>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    // A changed setting or a newly selected interpreter may point at a different install: probe again.
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('coroscope.python')) this.probes.clear();
    }));
  }

  /** The interpreter for a program under `resource` (a file or workspace folder), or undefined if none is found. */
  async interpreterFor(resource?: vscode.Uri): Promise<InterpreterChoice | undefined> {
    const fromSetting = toCommand(vscode.workspace.getConfiguration('coroscope', resource).get('python'));
    if (fromSetting) return { command: fromSetting, source: 'setting' };
    const fromExtension = await this.fromPythonExtension(resource);
    if (fromExtension) return { command: fromExtension, source: 'python-extension' };
    const onPath = findOnPath();
    return onPath ? { command: [onPath], source: 'PATH' } : undefined;
  }

  /** Version of an interpreter, probed once per command line. */
  probe(command: readonly string[]): Promise<ProbeResult> {
    const key = JSON.stringify(command);
    let probe = this.probes.get(key);
    if (!probe) {
      probe = probeInterpreter(command);
      this.probes.set(key, probe);
    }
    return probe;
  }

  private async fromPythonExtension(resource?: vscode.Uri): Promise<string[] | undefined> {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!extension) return undefined;
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const environments = api?.environments;
      if (environments) {
        const active = environments.getActiveEnvironmentPath(resource);
        if (active) {
          const resolved = await environments.resolveEnvironment(active);
          const path = resolved?.executable?.uri?.fsPath ?? active.path;
          if (path) return [path];
        }
      }
      return toCommand(api?.settings?.getExecutionDetails(resource).execCommand);
    } catch (error) {
      // A broken or outdated Python extension must not stop debugging: fall back to PATH.
      this.log.warn('could not ask the Python extension for its interpreter', error);
      return undefined;
    }
  }

  /** Stops listening to configuration changes. */
  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

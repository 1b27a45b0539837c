// The `coroscope` debug type: configuration provider (F5 without launch.json, initial and dynamic
// configurations), interpreter resolution, and the adapter descriptor.
import * as vscode from 'vscode';
import { ConfigError, validateAttach, validateLaunch } from '../../debugger/src/launchConfig';
import { toCommand, unsupportedReason } from './interpreter';
import { completeConfiguration, currentFileConfiguration, DEBUG_TYPE, type RawConfiguration } from './launchConfiguration';
import type { PythonFacade } from './python';
import { LensModeAdapter, type LensBreakpointSource } from './suspendPoints/modeAdapter';

class CoroscopeConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly python: PythonFacade, private readonly log: vscode.LogOutputChannel) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [currentFileConfiguration() as vscode.DebugConfiguration];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const completed = completeConfiguration(config as RawConfiguration, vscode.window.activeTextEditor?.document.languageId);
    if ('error' in completed) {
      void vscode.window.showErrorMessage(completed.error);
      return undefined;
    }
    return completed.config as vscode.DebugConfiguration;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    // The adapter validates again; checking here reports a launch.json mistake before anything starts.
    try {
      if (config.request === 'attach') { validateAttach(config); return config; }
      validateLaunch(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.log.error(error.message);
      void vscode.window.showErrorMessage(`Coroscope: ${error.message}`);
      return undefined;
    }
    const explicit = toCommand(config.python);
    const resource = typeof config.program === 'string' && config.program ? vscode.Uri.file(config.program) : folder?.uri;
    const choice = explicit ? { command: explicit, source: 'launch.json' as const } : await this.python.interpreterFor(resource);
    if (!choice) {
      await this.showInterpreterError('No Python interpreter found: install Python 3.8 or newer, or set `coroscope.python`.');
      return undefined;
    }
    const problem = unsupportedReason(await this.python.probe(choice.command));
    if (problem) {
      await this.showInterpreterError(`${problem} (interpreter from ${choice.source})`);
      return undefined;
    }
    this.log.info(`debugging with ${choice.command.join(' ')} (from ${choice.source})`);
    return { ...config, python: choice.command.length === 1 ? choice.command[0] : choice.command };
  }

  private async showInterpreterError(message: string): Promise<void> {
    this.log.error(message);
    const openSettings = 'Open Settings';
    if (await vscode.window.showErrorMessage(`Coroscope: ${message}`, openSettings) === openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'coroscope.python');
    }
  }
}

/** Offers "Coroscope: Current File" in the Run and Debug picker when a Python file is active. */
class DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return vscode.window.activeTextEditor?.document.languageId === 'python' ? [currentFileConfiguration() as vscode.DebugConfiguration] : [];
  }
}

/**
 * Runs the adapter inline, in the extension host: no extra process, and VS Code hands `runInTerminal` to
 * the session directly. dist/debugAdapter.js stays the entry point for other DAP clients. The session is
 * wrapped so the suspend-point lens's breakpoints reach it with their mode (VS Code's API cannot set one).
 */
class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly lensBreakpoints: LensBreakpointSource) {}

  async createDebugAdapterDescriptor(): Promise<vscode.DebugAdapterDescriptor> {
    // Loaded on the first session, not at activation: editing Python should not pay for the debugger.
    const { CoroscopeDebugSession } = await import('../../debugger/src/session');
    return new vscode.DebugAdapterInlineImplementation(new LensModeAdapter(new CoroscopeDebugSession(), this.lensBreakpoints));
  }
}

/** Registers everything the `coroscope` debug type needs. */
export function registerDebugging(context: vscode.ExtensionContext, python: PythonFacade, lensBreakpoints: LensBreakpointSource, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new CoroscopeConfigurationProvider(python, log)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory(lensBreakpoints)),
  );
}

// Completion of `coroscope` debug configurations before VS Code substitutes variables: F5 without a
// launch.json, and a launch entry with neither `program` nor `module`. The attributes themselves are typed
// once, by the adapter (debugger/src/launchConfig.ts), which also validates them; no `vscode` import here
// so the unit tests run under plain node.

export const DEBUG_TYPE = 'coroscope';

/** A debug configuration as VS Code hands it over: any JSON object. */
export type RawConfiguration = { type?: string; request?: string; name?: string; [key: string]: unknown };

/** The configuration F5 uses on a Python file when there is no launch.json. */
export function currentFileConfiguration(): RawConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: 'Coroscope: Current File', program: '${file}', console: 'internalConsole' };
}

/**
 * Completes a configuration. `activeLanguageId` is the language of the active editor, if any. Returns the
 * configuration to run, or a message saying why there is nothing to run.
 */
export function completeConfiguration(config: RawConfiguration, activeLanguageId: string | undefined):
  { config: RawConfiguration } | { error: string } {
  // F5 without launch.json hands over an empty object.
  if (!config.type && !config.request && !config.name) {
    if (activeLanguageId !== 'python') return { error: 'Open a Python file to debug it with Coroscope, or add a launch configuration.' };
    return { config: currentFileConfiguration() };
  }
  const result: RawConfiguration = { ...config, type: config.type ?? DEBUG_TYPE, name: config.name ?? 'Coroscope' };
  if (result.request !== 'launch' && result.request !== 'attach') {
    return { error: `Unknown request ${JSON.stringify(result.request)} in a Coroscope configuration: use "launch" or "attach".` };
  }
  const blank = (value: unknown) => value === undefined || value === null || value === '';
  if (result.request === 'launch' && blank(result.program) && blank(result.module)) {
    if (activeLanguageId !== 'python') return { error: 'A Coroscope launch configuration needs `program` (a Python file) or `module`.' };
    result.program = '${file}';
  }
  return { config: result };
}

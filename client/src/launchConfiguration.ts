// Launch and attach attributes of the `coroscope` debug type, typed once and checked against
// package.json's configurationAttributes by a unit test (STYLE §9). No `vscode` import: unit-tested under node.

/** How the debuggee's standard streams are shown. */
export type ConsoleKind = 'internalConsole' | 'integratedTerminal' | 'externalTerminal';

/** `request: "launch"` attributes beyond type/request/name. */
export interface LaunchAttributes {
  program?: string;
  module?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  python?: string | string[];
  stopOnEntry?: boolean;
  console?: ConsoleKind;
}

/** `request: "attach"` attributes beyond type/request/name. */
export interface AttachAttributes {
  host?: string;
  port: number;
  token?: string;
}

// Records keyed by the interfaces: the compiler rejects a missing or extra key, so these lists cannot drift
// from the types, and the unit test keeps them equal to package.json.
const launchKeys: Record<keyof LaunchAttributes, true> = {
  program: true, module: true, args: true, cwd: true, env: true, python: true, stopOnEntry: true, console: true,
};
const attachKeys: Record<keyof AttachAttributes, true> = { host: true, port: true, token: true };

/** Attribute names of a launch configuration, as declared in package.json. */
export const LAUNCH_ATTRIBUTES = Object.keys(launchKeys) as (keyof LaunchAttributes)[];
/** Attribute names of an attach configuration, as declared in package.json. */
export const ATTACH_ATTRIBUTES = Object.keys(attachKeys) as (keyof AttachAttributes)[];

export const DEBUG_TYPE = 'coroscope';

/** A debug configuration as VS Code hands it over: any JSON object. */
export type RawConfiguration = { type?: string; request?: string; name?: string; [key: string]: unknown };

/** The configuration F5 uses on a Python file when there is no launch.json. */
export function currentFileConfiguration(): RawConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: 'Coroscope: Current File', program: '${file}', console: 'internalConsole' };
}

/**
 * Completes a configuration before variables are substituted. `activeLanguageId` is the language of the
 * active editor, if any. Returns the configuration to run or a message explaining why it cannot run.
 */
export function completeConfiguration(config: RawConfiguration, activeLanguageId: string | undefined):
  { config: RawConfiguration } | { error: string } {
  // F5 without launch.json hands over an empty object.
  if (!config.type && !config.request && !config.name) {
    if (activeLanguageId !== 'python') return { error: 'Open a Python file to debug it with Coroscope, or add a launch configuration.' };
    return { config: currentFileConfiguration() };
  }
  const result: RawConfiguration = { ...config, type: config.type ?? DEBUG_TYPE, name: config.name ?? 'Coroscope' };
  if (result.request === 'attach') {
    if (typeof result.port !== 'number' || !Number.isInteger(result.port) || result.port <= 0 || result.port > 65535) {
      return { error: 'A Coroscope attach configuration needs `port`: the port printed by `python -m coroscope --listen`.' };
    }
    return { config: result };
  }
  if (result.request !== 'launch') return { error: `Unknown request "${String(result.request)}": use "launch" or "attach".` };
  const hasProgram = typeof result.program === 'string' && result.program.trim() !== '';
  const hasModule = typeof result.module === 'string' && result.module.trim() !== '';
  if (hasProgram && hasModule) return { error: 'Set either `program` or `module` in a Coroscope launch configuration, not both.' };
  if (!hasProgram && !hasModule) {
    if (activeLanguageId !== 'python') return { error: 'A Coroscope launch configuration needs `program` (a Python file) or `module`.' };
    result.program = '${file}';
  }
  if (result.args !== undefined && !(Array.isArray(result.args) && result.args.every((a) => typeof a === 'string'))) {
    return { error: '`args` must be an array of strings.' };
  }
  return { config: result };
}

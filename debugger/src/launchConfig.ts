// Launch and attach attributes, typed once and validated with errors that name the attribute. The attribute
// names here and in package.json's contributes.debuggers configurationAttributes are kept equal by a unit
// test (debugger/test/launchConfig.test.ts), because VS Code only offers what the manifest declares.

/** A launch.json mistake; `attribute` is the offending key. */
export class ConfigError extends Error {
  constructor(readonly attribute: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validated `launch` attributes. */
export interface LaunchConfig {
  program?: string;
  module?: string;
  args: string[];
  cwd?: string;
  /** Variables to set; `null` removes the variable from the inherited environment. */
  env: Record<string, string | null>;
  /** Interpreter command and its leading arguments; undefined means `python3` on PATH. */
  python?: string[];
  stopOnEntry: boolean;
  /** Where output goes: the Debug Console (the adapter reads the pipes), or a terminal via runInTerminal. */
  console: ConsoleKind;
  /** A dotenv file loaded before `env` (which wins). */
  envFile?: string;
  justMyCode: boolean;
  maxTasks: number;
  taskFilter?: string;
}

/** launch.json `console` values, as debugpy names them. */
export const CONSOLE_KINDS = ['internalConsole', 'integratedTerminal', 'externalTerminal'] as const;
export type ConsoleKind = (typeof CONSOLE_KINDS)[number];

/** Validated `attach` attributes. */
export interface AttachConfig {
  host: string;
  port: number;
  token?: string;
  /** Local ↔ remote folder pairs, for a program running in a container or on another machine. */
  pathMappings: PathMapping[];
  justMyCode: boolean;
  maxTasks: number;
  taskFilter?: string;
}

/** One pathMappings entry. */
export interface PathMapping {
  localRoot: string;
  remoteRoot: string;
}

/** Default of `maxTasks`: beyond this many tasks the Call Stack view becomes unusable anyway. */
export const DEFAULT_MAX_TASKS = 1000;

type Kind = 'string' | 'boolean' | 'string[]' | 'env' | 'python' | 'port' | 'console' | 'count' | 'pathMappings';

/** Every launch attribute this adapter understands, with its kind. */
export const LAUNCH_ATTRIBUTES: Readonly<Record<keyof LaunchConfig, Kind>> = {
  program: 'string',
  module: 'string',
  args: 'string[]',
  cwd: 'string',
  env: 'env',
  python: 'python',
  stopOnEntry: 'boolean',
  console: 'console',
  envFile: 'string',
  justMyCode: 'boolean',
  maxTasks: 'count',
  taskFilter: 'string',
};

/** Every attach attribute this adapter understands, with its kind. */
export const ATTACH_ATTRIBUTES: Readonly<Record<keyof AttachConfig, Kind>> = {
  host: 'string',
  port: 'port',
  token: 'string',
  pathMappings: 'pathMappings',
  justMyCode: 'boolean',
  maxTasks: 'count',
  taskFilter: 'string',
};

const EXPECTED: Record<Kind, string> = {
  string: 'a string',
  boolean: 'true or false',
  'string[]': 'an array of strings',
  env: 'an object whose values are strings or null',
  python: 'a string or a non-empty array of strings',
  port: 'an integer port number between 1 and 65535',
  count: 'a positive integer',
  pathMappings: 'an array of {"localRoot": string, "remoteRoot": string} objects',
  console: `one of ${CONSOLE_KINDS.map((k) => `"${k}"`).join(', ')}`,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one value against its kind; returns the normalised value or throws naming the attribute. */
function check(request: string, name: string, kind: Kind, value: unknown): unknown {
  const bad = () => new ConfigError(name, `launch.json: '${name}' must be ${EXPECTED[kind]} (in a ${request} configuration).`);
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw bad();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad();
      return value;
    case 'string[]':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad();
      return [...value];
    case 'env': {
      if (!isPlainObject(value)) throw bad();
      const env: Record<string, string | null> = {};
      for (const [key, v] of Object.entries(value)) {
        if (v !== null && typeof v !== 'string') {
          throw new ConfigError(name, `launch.json: 'env.${key}' must be a string, or null to remove the variable.`);
        }
        env[key] = v;
      }
      return env;
    }
    case 'python':
      if (typeof value === 'string' && value.trim()) return [value];
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string') && value[0].trim()) return [...value];
      throw bad();
    case 'console':
      if (typeof value !== 'string' || !(CONSOLE_KINDS as readonly string[]).includes(value)) throw bad();
      return value;
    case 'count':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw bad();
      return value;
    case 'pathMappings':
      if (!Array.isArray(value) || !value.every((m) => isPlainObject(m) && typeof m.localRoot === 'string' && typeof m.remoteRoot === 'string')) throw bad();
      return value.map((m: PathMapping) => ({ localRoot: m.localRoot, remoteRoot: m.remoteRoot }));
    case 'port': {
      const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw bad();
      return port;
    }
  }
}

/** Validates every known attribute present in `raw`; unknown keys (name, type, preLaunchTask...) are ignored. */
function validateKnown(request: string, raw: unknown, attributes: Readonly<Record<string, Kind>>): Record<string, unknown> {
  if (!isPlainObject(raw)) throw new ConfigError('', `launch.json: the ${request} configuration must be an object.`);
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(attributes)) {
    const value = raw[name];
    // VS Code sends explicitly-null attributes when a variable resolves to nothing; treat as absent.
    if (value === undefined || value === null) continue;
    out[name] = check(request, name, kind, value);
  }
  return out;
}

/** Validates the arguments of a DAP `launch` request. Throws ConfigError naming the attribute. */
export function validateLaunch(raw: unknown): LaunchConfig {
  const v = validateKnown('launch', raw, LAUNCH_ATTRIBUTES);
  const program = v.program as string | undefined;
  const module = v.module as string | undefined;
  if (program !== undefined && module !== undefined) {
    throw new ConfigError('module', "launch.json: set either 'program' or 'module', not both.");
  }
  if (program === undefined && module === undefined) {
    throw new ConfigError('program', "launch.json: set 'program' (a Python file) or 'module' (a module to run as `python -m`).");
  }
  if (program !== undefined && !program.trim()) throw new ConfigError('program', "launch.json: 'program' is empty.");
  if (module !== undefined && !/^[A-Za-z_][\w.]*$/.test(module)) {
    throw new ConfigError('module', `launch.json: 'module' must be a dotted module name, got ${JSON.stringify(module)}.`);
  }
  return {
    program,
    module,
    args: (v.args as string[] | undefined) ?? [],
    cwd: v.cwd as string | undefined,
    env: (v.env as Record<string, string | null> | undefined) ?? {},
    python: v.python as string[] | undefined,
    stopOnEntry: (v.stopOnEntry as boolean | undefined) ?? false,
    console: (v.console as ConsoleKind | undefined) ?? 'internalConsole',
    envFile: v.envFile as string | undefined,
    justMyCode: (v.justMyCode as boolean | undefined) ?? true,
    maxTasks: (v.maxTasks as number | undefined) ?? DEFAULT_MAX_TASKS,
    taskFilter: v.taskFilter as string | undefined,
  };
}

/** Validates the arguments of a DAP `attach` request. Throws ConfigError naming the attribute. */
export function validateAttach(raw: unknown): AttachConfig {
  const v = validateKnown('attach', raw, ATTACH_ATTRIBUTES);
  if (v.port === undefined) throw new ConfigError('port', "launch.json: 'port' is required for attach (the port printed by `python -m coroscope --listen`).");
  const host = (v.host as string | undefined) ?? '127.0.0.1';
  if (!host.trim()) throw new ConfigError('host', "launch.json: 'host' is empty.");
  return {
    host,
    port: v.port as number,
    token: v.token as string | undefined,
    pathMappings: (v.pathMappings as PathMapping[] | undefined) ?? [],
    justMyCode: (v.justMyCode as boolean | undefined) ?? true,
    maxTasks: (v.maxTasks as number | undefined) ?? DEFAULT_MAX_TASKS,
    taskFilter: v.taskFilter as string | undefined,
  };
}

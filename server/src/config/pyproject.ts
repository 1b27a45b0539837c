// Project configuration from pyproject.toml: `[tool.coroscope]` (select, ignore, python-version) and
// `[project] requires-python` for the target version. The nearest pyproject.toml above a file wins,
// as with Ruff. Reads only the TOML subset these keys use (strings and arrays of strings); anything
// else in the file is skipped, and a malformed file means "no configuration", never an error.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalyzeOptions, PythonVersion } from '../analysis/types';

export interface ProjectConfig {
  /** The pyproject.toml the settings came from. */
  file?: string;
  select?: string[];
  ignore?: string[];
  pythonVersion?: PythonVersion;
}

type TomlValue = string | string[];

/** Parses `key = "string"` and `key = ["a", "b"]` (arrays may span lines) per `[section]`. */
export function parseTomlSubset(text: string): Map<string, Map<string, TomlValue>> {
  const sections = new Map<string, Map<string, TomlValue>>();
  let current = new Map<string, TomlValue>();
  sections.set('', current);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\s+/, '');
    const header = /^\[\s*([A-Za-z0-9_.\-"]+)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      const name = header[1].replace(/"/g, '');
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const kv = /^([A-Za-z0-9_\-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    let raw = kv[2];
    if (raw.startsWith('[')) {
      while (!/\]\s*(#.*)?$/.test(raw) && i + 1 < lines.length) raw += ' ' + lines[++i].trim();
      const items = [...raw.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]);
      current.set(kv[1], items);
    } else {
      const str = /^"([^"]*)"|^'([^']*)'/.exec(raw);
      if (str) current.set(kv[1], str[1] ?? str[2]);
    }
  }
  return sections;
}

/** `py311`, `3.11`, or the lowest version a `requires-python` specifier allows (`>=3.10,<4` → 3.10). */
export function parsePythonVersion(spec: string): PythonVersion | undefined {
  const direct = /^(?:py)?3\.?(\d{1,2})$/.exec(spec.trim());
  if (direct) return [3, Number(direct[1])];
  const lower = /(?:>=|~=|==|>)\s*3\.(\d+)/.exec(spec);
  // `>3.9` still admits 3.9.1, so the lowest minor version is the one written in every case.
  if (lower) return [3, Number(lower[1])];
  return undefined;
}

function list(value: TomlValue | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : value.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Reads one pyproject.toml. */
export function readPyproject(file: string): ProjectConfig {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { return {}; }
  const toml = parseTomlSubset(text);
  const tool = toml.get('tool.coroscope');
  const config: ProjectConfig = { file };
  config.select = list(tool?.get('select'));
  config.ignore = list(tool?.get('ignore'));
  const version = tool?.get('python-version') ?? tool?.get('pythonVersion') ?? tool?.get('target-version');
  config.pythonVersion = typeof version === 'string' ? parsePythonVersion(version) : undefined;
  if (!config.pythonVersion) {
    const requires = toml.get('project')?.get('requires-python');
    if (typeof requires === 'string') config.pythonVersion = parsePythonVersion(requires);
  }
  return config;
}

/** The nearest pyproject.toml at or above `startDir`, or undefined. */
export function findPyproject(startDir: string): string | undefined {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, 'pyproject.toml');
    try { if (existsSync(candidate) && statSync(candidate).isFile()) return candidate; } catch { /* unreadable: keep looking */ }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Caches pyproject lookups per directory (CLI runs and the server ask for many files in few folders). */
export class ProjectConfigCache {
  private readonly byDir = new Map<string, ProjectConfig>();

  /** The project configuration governing `file`. */
  forFile(file: string): ProjectConfig {
    const dir = dirname(file);
    let config = this.byDir.get(dir);
    if (!config) {
      const found = findPyproject(dir);
      config = found ? readPyproject(found) : {};
      this.byDir.set(dir, config);
    }
    return config;
  }

  clear(): void { this.byDir.clear(); }
}

/**
 * Merges settings in precedence order, highest first (command line or editor settings, then
 * pyproject), into analysis options. Undefined fields fall through to the next source, except that
 * an explicit `select` also shadows the `ignore` of lower sources: asking for a rule by name on the
 * command line should not be undone by the project's ignore list.
 */
export function mergeOptions(...sources: Array<Partial<AnalyzeOptions> | ProjectConfig | undefined>): AnalyzeOptions {
  const out: AnalyzeOptions = {};
  let selectedAbove = false;
  for (const s of sources) {
    if (!s) continue;
    if (!out.ignore && !selectedAbove && s.ignore?.length) out.ignore = s.ignore;
    if (!out.select && s.select?.length) out.select = s.select;
    out.pythonVersion ??= s.pythonVersion;
    selectedAbove ||= out.select !== undefined;
  }
  return out;
}

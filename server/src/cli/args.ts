// Command-line parsing for `coroscope`. Kept free of I/O so every usage error is testable.
import type { PythonVersion } from '../analysis/types';

export const USAGE = `usage: coroscope check PATH... [--format text|json|sarif] [--select CODES] [--ignore CODES] [--target-version py38..py313]
       coroscope rules [--format text|json]

CODES is a comma-separated list of rule codes or prefixes, e.g. --select CORO100,CORO2.
--jobs N checks files on N threads, this one and N-1 workers (default: one per CPU core from 200 files).
--exhaustive parses every file, even those that provably cannot produce a finding.
Exit status: 0 no findings, 1 findings, 2 usage or input error.`;

export type Format = 'text' | 'json' | 'sarif';

export type Command =
  | { kind: 'check'; paths: string[]; format: Format; select?: string[]; ignore?: string[]; pythonVersion?: PythonVersion; exhaustive?: boolean; jobs?: number }
  | { kind: 'rules'; format: 'text' | 'json' }
  | { kind: 'help' };

export class UsageError extends Error {}

const FORMATS: Record<string, Format[]> = { check: ['text', 'json', 'sarif'], rules: ['text', 'json'] };

function codes(value: string): string[] {
  const list = value.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (!list.length || list.some((c) => !/^[A-Z]+[0-9]*$/.test(c))) throw new UsageError(`invalid rule codes: ${value}`);
  return list;
}

function version(value: string): PythonVersion {
  const m = /^(?:py)?3\.?(\d+)$/.exec(value);
  const minor = m ? Number(m[1]) : NaN;
  if (!(minor >= 8 && minor <= 13)) throw new UsageError(`unsupported target version: ${value} (py38 to py313)`);
  return [3, minor];
}

/** Parses argv (without node and script). Throws UsageError with a message for the user. */
export function parseArgs(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (!name) throw new UsageError('missing command');
  if (name === '-h' || name === '--help' || name === 'help') return { kind: 'help' };
  if (name !== 'check' && name !== 'rules') throw new UsageError(`unknown command: ${name}`);
  const paths: string[] = [];
  const options: { format: Format; select?: string[]; ignore?: string[]; pythonVersion?: PythonVersion; exhaustive?: boolean; jobs?: number } = { format: 'text' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (arg.startsWith('--') && eq > 0) return arg.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const f = value();
        if (!FORMATS[name].includes(f as Format)) throw new UsageError(`unknown format: ${f} (expected ${FORMATS[name].join(' or ')})`);
        options.format = f as Format;
        break;
      }
      case '--select': options.select = codes(value()); break;
      case '--ignore': options.ignore = codes(value()); break;
      case '--target-version': options.pythonVersion = version(value()); break;
      case '--exhaustive': options.exhaustive = true; break;
      case '--jobs': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs needs a number from 1 to 64, got ${v}`);
        options.jobs = n;
        break;
      }
      case '-h': case '--help': return { kind: 'help' };
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option: ${arg}`);
        paths.push(arg);
    }
  }
  if (name === 'rules') {
    if (paths.length) throw new UsageError('coroscope rules takes no paths');
    return { kind: 'rules', format: options.format === 'json' ? 'json' : 'text' };
  }
  if (!paths.length) throw new UsageError('coroscope check needs at least one PATH');
  return { kind: 'check', paths, ...options };
}

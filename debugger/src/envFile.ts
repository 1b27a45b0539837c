// Reads launch.json's `envFile` (dotenv syntax, as debugpy and the Python extension accept it).
import { readFileSync } from 'node:fs';
import { ConfigError } from './launchConfig';

/**
 * Parses dotenv text: `KEY=value` lines, optional `export `, `#` comments, single- or double-quoted values
 * (double quotes understand \n, \t, \" and \\). Lines that are not assignments are ignored, like dotenv does.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    const [, key, rest] = match;
    let value: string;
    if (rest.startsWith('"')) {
      const end = findClosingQuote(rest);
      value = rest.slice(1, end).replace(/\\([nt"\\])/g, (_m, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] as string);
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      value = rest.slice(1, end < 0 ? undefined : end);
    } else {
      value = rest.replace(/\s+#.*$/, '');
    }
    env[key] = value;
  }
  return env;
}

function findClosingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === '"') return i;
  }
  return text.length;
}

/** Loads `file`; a missing or unreadable file is a launch.json error naming `envFile`. */
export function loadEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('envFile', `launch.json: 'envFile' cannot be read: ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseEnvFile(text);
}

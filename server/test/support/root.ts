// Locates the repository root for tests running from out/ (COROSCOPE_ROOT, else walk up to package.json).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root. */
export function repoRoot(): string {
  if (process.env.COROSCOPE_ROOT) return process.env.COROSCOPE_ROOT;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root from ' + __dirname);
    dir = up;
  }
  return dir;
}

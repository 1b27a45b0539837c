// Locates the repository root for the debugger tests: $COROSCOPE_ROOT, else the nearest folder above
// holding package.json (tests run from out/debugger/test/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Absolute path of the repository root. */
export function repoRoot(): string {
  if (process.env.COROSCOPE_ROOT) return process.env.COROSCOPE_ROOT;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

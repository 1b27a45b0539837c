// Attach to a program in a container or on another machine: its file names (remote) and the editor's
// (local) differ by a root folder. pathMappings pairs them, as debugpy's attribute of the same name does.
import type { PathMapping } from './launchConfig';

/** Forward slashes, no trailing slash: the form in which roots and paths are compared. */
function normal(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '');
}

/** Moves `file` from root `from` to root `to`, in `to`'s separator style; undefined when outside `from`. */
function rebase(file: string, from: string, to: string): string | undefined {
  const f = normal(file);
  const root = normal(from);
  if (f !== root && !f.startsWith(root + '/')) return undefined;
  const rest = f.slice(root.length); // '' or '/a/b'
  const windows = to.includes('\\') && !to.includes('/');
  const joined = to.replace(/[\\/]+$/, '') + rest;
  return windows ? joined.replace(/\//g, '\\') : joined;
}

/** Maps between the editor's paths and the runtime's; the longest matching root wins. */
export class PathMapper {
  private readonly mappings: PathMapping[];

  constructor(mappings: PathMapping[]) {
    this.mappings = [...mappings].sort((a, b) => b.localRoot.length - a.localRoot.length);
  }

  /** Editor path → path the runtime knows. */
  toRemote(local: string): string {
    for (const m of this.mappings) {
      const mapped = rebase(local, m.localRoot, m.remoteRoot);
      if (mapped !== undefined) return mapped;
    }
    return local;
  }

  /** Runtime path → path the editor can open. */
  toLocal(remote: string): string {
    for (const m of [...this.mappings].sort((a, b) => b.remoteRoot.length - a.remoteRoot.length)) {
      const mapped = rebase(remote, m.remoteRoot, m.localRoot);
      if (mapped !== undefined) return mapped;
    }
    return remote;
  }
}

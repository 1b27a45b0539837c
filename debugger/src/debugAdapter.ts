// Standalone entry point of the debug adapter (dist/debugAdapter.js). VS Code runs the same session inline;
// other DAP clients (nvim-dap, Emacs dap-mode, DebugClient in our tests) start this file:
//   node dist/debugAdapter.js                one session over stdin/stdout
//   node dist/debugAdapter.js --server=PORT  a TCP server on 127.0.0.1:PORT, one session per connection
//                                            (PORT 0 picks a free port; the chosen one is printed to stderr)
import * as net from 'node:net';
import { CoroscopeDebugSession } from './session';

export { CoroscopeDebugSession } from './session';

/** Parses `--server=PORT`; undefined for stdio mode. Throws on a malformed port. */
export function serverPort(argv: string[]): number | undefined {
  for (const arg of argv) {
    const match = /^--server=(.*)$/.exec(arg);
    if (!match) continue;
    const port = Number(match[1]);
    if (!/^\d+$/.test(match[1]) || port > 65535) throw new Error(`--server needs a port number between 0 and 65535, got '${match[1]}'`);
    return port;
  }
  return undefined;
}

/** Serves one session per TCP connection until the process is killed. */
function runServer(port: number): void {
  const server = net.createServer((socket) => {
    const session = new CoroscopeDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
    // A client that vanishes without `disconnect` must not leave its debuggee behind.
    socket.on('close', () => session.shutdown());
    socket.on('error', () => session.shutdown());
  });
  server.on('error', (err) => {
    process.stderr.write(`coroscope debug adapter: ${err.message}\n`);
    process.exit(1);
  });
  // Loopback only: a debug adapter evaluates arbitrary code in the debuggee on request.
  server.listen(port, '127.0.0.1', () => {
    const address = server.address() as net.AddressInfo;
    process.stderr.write(`coroscope debug adapter listening on 127.0.0.1:${address.port}\n`);
  });
}

function main(): void {
  let port: number | undefined;
  try {
    port = serverPort(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`coroscope debug adapter: ${(err as Error).message}\n`);
    process.exit(2);
  }
  if (port !== undefined) {
    runServer(port);
    return;
  }
  const session = new CoroscopeDebugSession();
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

// Bundled as dist/debugAdapter.js this file is the main module; imported (by tests or the extension) it
// only provides the exports.
if (require.main === module) main();

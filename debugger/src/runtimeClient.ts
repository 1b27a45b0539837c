// The adapter's end of the runtime connection (docs/runtime-protocol.md): owns the TCP socket, the NDJSON
// framing, the hello/token handshake, request/response correlation with timeouts, and hands runtime events
// to whoever listens. It knows nothing of DAP.
import { EventEmitter } from 'node:events';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as net from 'node:net';
import { NdjsonReader, encodeLine } from './ndjson';
import { Hello, PROTOCOL_VERSION, RuntimeResponse } from './runtimeProtocol';

/** Longest line accepted before the peer has authenticated (protocol: 1 MiB). */
const HANDSHAKE_MAX_LINE = 1024 * 1024;
/** After authentication a `threads` answer for 10,000 tasks is legitimately large; still bound it. */
const SESSION_MAX_LINE = 256 * 1024 * 1024;
/** The protocol's handshake deadline. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Default deadline of one request; evaluate may run user code, so callers pass a longer one there. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Why a request to the runtime did not produce a body. */
export type RuntimeErrorKind = 'failed' | 'timeout' | 'disconnected';

/** A request the runtime refused, did not answer in time, or could not answer because the link dropped. */
export class RuntimeError extends Error {
  constructor(message: string, readonly kind: RuntimeErrorKind, readonly command: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}

/** A fresh session token: 24 random bytes, URL-safe, as the runtime generates its own. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time token comparison; different lengths compare unequal without leaking where. */
export function tokensEqual(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a); // same work either way
    return false;
  }
  return timingSafeEqual(a, b);
}

interface Pending {
  command: string;
  resolve: (body: unknown) => void;
  reject: (error: RuntimeError) => void;
  timer: NodeJS.Timeout;
}

/** What this adapter says about itself in its hello. */
function adapterHello(token?: string): Hello {
  const hello: Hello = { type: 'hello', protocol: PROTOCOL_VERSION, adapter: 'coroscope' };
  if (token !== undefined) hello.token = token;
  return hello;
}

/**
 * An authenticated connection to a runtime. Emits `event(name, body)` for runtime events and `close(reason)`
 * once, when the connection ends for whatever reason.
 */
export class RuntimeClient extends EventEmitter {
  private seq = 1;
  private readonly pending = new Map<number, Pending>();
  private isClosed = false;
  /** Events that arrive before the session subscribes (e.g. in the same packet as the hello) wait here. */
  private queuedEvents: [string, unknown][] | undefined = [];

  /** Builds a client around a socket whose handshake already succeeded; `reader` keeps its buffered bytes. */
  constructor(private readonly socket: net.Socket, private readonly reader: NdjsonReader, readonly runtimeHello: Hello) {
    super();
    reader.maxLineBytes = SESSION_MAX_LINE;
    socket.on('close', () => this.shutdown('the runtime closed the connection'));
    socket.on('error', (err) => this.shutdown(`connection error: ${err.message}`));
  }

  /** Routes one decoded message; called by the reader once the handshake is over. */
  handleMessage(message: Record<string, unknown>): void {
    if (message.type === 'response') {
      const response = message as unknown as RuntimeResponse;
      const entry = this.pending.get(response.request_seq);
      if (!entry) return; // an answer to a request that already timed out
      this.pending.delete(response.request_seq);
      clearTimeout(entry.timer);
      if (response.success) entry.resolve(response.body ?? {});
      else entry.reject(new RuntimeError(String(response.message ?? `${entry.command} failed`), 'failed', entry.command));
    } else if (message.type === 'event' && typeof message.event === 'string') {
      if (this.queuedEvents) this.queuedEvents.push([message.event, message.body ?? {}]);
      else this.emit('event', message.event, message.body ?? {});
    }
    // Anything else is ignored: a newer runtime may send message types this adapter does not know.
  }

  /** Starts delivering `event`s, first those that arrived before anyone listened. */
  startEvents(): void {
    const queued = this.queuedEvents ?? [];
    this.queuedEvents = undefined;
    for (const [name, body] of queued) this.emit('event', name, body);
  }

  /** Handles a framing violation after the handshake: the stream is unusable, so the link is dropped. */
  handleFramingError(detail: string): void {
    this.shutdown(`the runtime sent a malformed message (${detail})`);
    this.socket.destroy();
  }

  /** True once the connection has ended. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends a request and resolves with the response body; rejects with a RuntimeError. */
  request<T = unknown>(command: string, args: object = {}, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<T> {
    if (this.isClosed) return Promise.reject(new RuntimeError('The debugged program is no longer connected.', 'disconnected', command));
    const seq = this.seq++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new RuntimeError(`The runtime did not answer '${command}' within ${Math.round(timeoutMs / 1000)} s.`, 'timeout', command));
      }, timeoutMs);
      this.pending.set(seq, { command, resolve: resolve as (body: unknown) => void, reject, timer });
      this.socket.write(encodeLine({ type: 'request', seq, command, arguments: args }));
    });
  }

  /** Closes the connection; pending requests fail as disconnected. */
  close(): void {
    this.shutdown('closed by the adapter');
    this.socket.destroy();
  }

  /** Resolves once the connection has ended (immediately if it already has). */
  whenClosed(): Promise<void> {
    return this.isClosed ? Promise.resolve() : new Promise((resolve) => this.once('close', () => resolve()));
  }

  private shutdown(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const [, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new RuntimeError('The debugged program disconnected before answering.', 'disconnected', entry.command));
    }
    this.pending.clear();
    this.emit('close', reason);
  }
}

/**
 * Reads the first line of `socket` as a hello and wires the rest of the stream to a RuntimeClient.
 * `check` decides whether the hello is acceptable (returns an error message, or undefined to accept);
 * `reply` is written after acceptance (launch mode answers the runtime's hello; attach mode has already
 * sent its own). Rejects without writing anything when the peer misbehaves, as the protocol requires.
 */
function handshake(socket: net.Socket, check: (hello: Hello) => string | undefined, reply: Hello | undefined): Promise<RuntimeClient> {
  return new Promise((resolve, reject) => {
    let client: RuntimeClient | undefined;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail('no hello within 10 s'), HANDSHAKE_TIMEOUT_MS);
    const reader = new NdjsonReader(
      (message) => {
        if (client) { client.handleMessage(message); return; }
        if (settled) return;
        if (message.type !== 'hello') { fail('the first message was not a hello'); return; }
        const problem = check(message as Hello);
        if (problem) { fail(problem); return; }
        settled = true;
        clearTimeout(timer);
        socket.off('close', onEarlyClose);
        socket.off('error', onEarlyError);
        if (reply) socket.write(encodeLine(reply));
        client = new RuntimeClient(socket, reader, message as Hello);
        resolve(client);
      },
      (_error, detail) => {
        if (client) client.handleFramingError(detail);
        else fail(`malformed hello: ${detail}`);
      },
      HANDSHAKE_MAX_LINE,
    );
    const onEarlyClose = () => fail('the connection closed during the handshake');
    const onEarlyError = (err: Error) => fail(`connection error during the handshake: ${err.message}`);
    socket.on('data', (data: Buffer) => reader.push(data));
    socket.on('close', onEarlyClose);
    socket.on('error', onEarlyError);
  });
}

/** Message for a runtime speaking another protocol version. */
function versionProblem(hello: Hello): string | undefined {
  if (hello.protocol === PROTOCOL_VERSION) return undefined;
  return `the runtime speaks protocol ${String(hello.protocol)}, this adapter speaks ${PROTOCOL_VERSION}`;
}

/** Launch mode: the adapter listens on loopback and the runtime it spawned connects back. */
export interface RuntimeListener {
  /** The port the runtime must connect to. */
  readonly port: number;
  /**
   * Resolves with the first connection whose hello carries the token. Connections with a wrong token,
   * bad framing or no hello are dropped silently and the listener keeps waiting; a runtime with the right
   * token but another protocol version rejects. Call `cancel` to give up (e.g. the child process exited).
   */
  readonly connection: Promise<RuntimeClient>;
  /** Stops waiting: `connection` rejects with `reason` unless it already resolved. Closes the server. */
  cancel(reason: Error): void;
}

/** Opens a listener on 127.0.0.1 with an OS-chosen port for a runtime presenting `token`. */
export async function listenForRuntime(token: string): Promise<RuntimeListener> {
  const server = net.createServer();
  let resolveConnection!: (client: RuntimeClient) => void;
  let rejectConnection!: (error: Error) => void;
  let done = false;
  const connection = new Promise<RuntimeClient>((resolve, reject) => {
    resolveConnection = resolve;
    rejectConnection = reject;
  });
  connection.catch(() => undefined); // the owner may cancel before awaiting
  const finish = () => { done = true; server.close(); };

  server.on('connection', (socket) => {
    if (done) { socket.destroy(); return; }
    let versionMismatch: string | undefined;
    handshake(socket, (hello) => {
      if (!tokensEqual(token, hello.token)) return 'wrong token';
      versionMismatch = versionProblem(hello);
      return versionMismatch;
    }, adapterHello()).then(
      (client) => {
        if (done) { client.close(); return; }
        finish();
        resolveConnection(client);
      },
      () => {
        // An impostor or a broken peer: ignore it and keep waiting for the real runtime — unless the real
        // runtime (right token) speaks another protocol, which no retry will fix.
        if (versionMismatch && !done) {
          finish();
          rejectConnection(new Error(versionMismatch));
        }
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    connection,
    cancel(reason: Error) {
      if (done) return;
      finish();
      rejectConnection(reason);
    },
  };
}

/** Attach mode: connects to a listening runtime, sends the hello with the token and awaits its hello. */
export function connectToRuntime(host: string, port: number, token: string | undefined): Promise<RuntimeClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const onError = (err: Error) => reject(new Error(`cannot connect to ${host}:${port}: ${err.message}`));
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      const hello = adapterHello(token ?? '');
      const pending = handshake(socket, versionProblem, undefined);
      socket.write(encodeLine(hello));
      pending.then(resolve, (err: Error) => {
        // The runtime closes silently on a wrong token, so a close during the handshake most likely means that.
        const hint = /closed/.test(err.message) ? ' — the token is probably wrong (or missing)' : '';
        reject(new Error(`the runtime at ${host}:${port} refused the session: ${err.message}${hint}`));
      });
    });
  });
}

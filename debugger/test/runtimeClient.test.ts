// The runtime client over real loopback sockets, against a peer written here that speaks the protocol
// (docs/runtime-protocol.md): handshake in both directions, token checks, correlation, timeouts, framing.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, test } from 'node:test';
import { NdjsonReader, encodeLine } from '../src/ndjson';
import { RuntimeClient, RuntimeError, connectToRuntime, listenForRuntime, newToken, tokensEqual } from '../src/runtimeClient';

/** A protocol peer on a raw socket: collects decoded lines, writes raw bytes. */
class Peer {
  readonly messages: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: net.Socket) {
    const reader = new NdjsonReader((m) => { this.messages.push(m); this.wake(); }, () => socket.destroy(), 1 << 30);
    socket.on('data', (d: Buffer) => reader.push(d));
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => undefined);
  }
  private wake() { for (const w of this.waiters.splice(0)) w(); }
  /** Resolves with the first message (from index `from`) matching `pred`. */
  async next(pred: (m: Record<string, unknown>) => boolean, from = 0): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.messages.slice(from).find(pred);
      if (found) return found;
      if (this.closed) throw new Error('peer closed');
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async untilClosed(): Promise<void> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }
  send(message: object) { this.socket.write(encodeLine(message)); }
}

function connectPeer(port: number): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(new Peer(socket)));
    socket.once('error', reject);
  });
}

const runtimeHello = (token: string, extra: object = {}) => ({ type: 'hello', protocol: 1, token, pid: 1, python: '3.12.1', ...extra });

describe('NDJSON framing', () => {
  test('splits lines across chunks, including multi-byte characters cut in half', () => {
    const got: unknown[] = [];
    const reader = new NdjsonReader((m) => got.push(m), (e) => assert.fail(e), 1000);
    const bytes = Buffer.concat([encodeLine({ a: 'é😀' }), encodeLine({ b: 2 })]);
    for (let i = 0; i < bytes.length; i++) reader.push(bytes.subarray(i, i + 1));
    assert.deepEqual(got, [{ a: 'é😀' }, { b: 2 }]);
  });

  test('a line over the limit, non-JSON, or a non-object stops the stream', () => {
    for (const [input, expected] of [['x'.repeat(2000), 'line-too-long'], ['{nope}\n', 'not-json'], ['[1]\n', 'not-object']] as const) {
      const errors: string[] = [];
      const got: unknown[] = [];
      const reader = new NdjsonReader((m) => got.push(m), (e) => errors.push(e), 1000);
      reader.push(Buffer.from(input));
      reader.push(encodeLine({ after: true }));
      assert.deepEqual(errors, [expected]);
      assert.deepEqual(got, [], 'nothing is delivered after a framing error');
    }
  });
});

describe('tokens', () => {
  test('are long, random, and compared exactly', () => {
    const a = newToken();
    assert.ok(a.length >= 32);
    assert.notEqual(a, newToken());
    assert.ok(tokensEqual(a, a));
    assert.ok(!tokensEqual(a, a.slice(1)));
    assert.ok(!tokensEqual(a, undefined));
    assert.ok(!tokensEqual(a, 42));
  });
});

describe('launch mode: the adapter listens', () => {
  test('impostors are dropped silently; the runtime with the token is accepted and answered', async () => {
    const token = newToken();
    const listener = await listenForRuntime(token);
    const impostors = await Promise.all([connectPeer(listener.port), connectPeer(listener.port), connectPeer(listener.port)]);
    impostors[0].send(runtimeHello('wrong'));
    impostors[1].send({ type: 'request', seq: 1, command: 'threads', arguments: {} });
    impostors[2].socket.write('not json\n');
    await Promise.all(impostors.map((p) => p.untilClosed()));
    for (const p of impostors) assert.deepEqual(p.messages, [], 'no reply to an unauthenticated peer');

    const runtime = await connectPeer(listener.port);
    runtime.send(runtimeHello(token, { runtimeVersion: '0.1.0' }));
    const client = await listener.connection;
    assert.equal(client.runtimeHello.python, '3.12.1');
    const reply = await runtime.next((m) => m.type === 'hello');
    assert.equal(reply.protocol, 1);
    assert.equal(reply.token, undefined, 'the adapter never echoes the token');
    client.close();
  });

  test('a runtime with the token but another protocol version fails the launch clearly', async () => {
    const token = newToken();
    const listener = await listenForRuntime(token);
    const runtime = await connectPeer(listener.port);
    runtime.send(runtimeHello(token, { protocol: 2 }));
    await assert.rejects(listener.connection, /speaks protocol 2, this adapter speaks 1/);
  });

  test('cancel rejects the wait and refuses later connections', async () => {
    const listener = await listenForRuntime(newToken());
    listener.cancel(new Error('exited with code 3'));
    await assert.rejects(listener.connection, /exited with code 3/);
  });
});

async function connectedPair(): Promise<{ client: RuntimeClient; runtime: Peer }> {
  const token = newToken();
  const listener = await listenForRuntime(token);
  const runtime = await connectPeer(listener.port);
  runtime.send(runtimeHello(token));
  const client = await listener.connection;
  await runtime.next((m) => m.type === 'hello');
  return { client, runtime };
}

describe('requests and events', () => {
  test('responses are matched by request_seq, even out of order', async () => {
    const { client, runtime } = await connectedPair();
    const threads = client.request<{ threads: unknown[] }>('threads');
    const stack = client.request<{ frames: unknown[] }>('stackTrace', { threadId: 3 });
    const rq1 = await runtime.next((m) => m.command === 'threads');
    const rq2 = await runtime.next((m) => m.command === 'stackTrace');
    assert.deepEqual(rq2.arguments, { threadId: 3 });
    runtime.send({ type: 'response', request_seq: rq2.seq, command: 'stackTrace', success: true, body: { frames: [1] } });
    runtime.send({ type: 'response', request_seq: 999, command: 'x', success: true, body: {} }); // stray: ignored
    runtime.send({ type: 'response', request_seq: rq1.seq, command: 'threads', success: true, body: { threads: [2] } });
    assert.deepEqual(await stack, { frames: [1] });
    assert.deepEqual(await threads, { threads: [2] });
    client.close();
  });

  test('a refused request rejects with the runtime\'s message', async () => {
    const { client, runtime } = await connectedPair();
    const evaluation = client.request('evaluate', { expression: 'x' });
    const rq = await runtime.next((m) => m.command === 'evaluate');
    runtime.send({ type: 'response', request_seq: rq.seq, command: 'evaluate', success: false, message: "NameError: name 'x' is not defined" });
    await assert.rejects(evaluation, (err: unknown) => err instanceof RuntimeError && err.kind === 'failed' && /NameError/.test(err.message));
    client.close();
  });

  test('an unanswered request times out; a dropped connection fails pending ones', async () => {
    const { client, runtime } = await connectedPair();
    await assert.rejects(client.request('threads', {}, 50), (err: unknown) => err instanceof RuntimeError && err.kind === 'timeout');
    const pending = client.request('threads');
    await runtime.next((m) => m.command === 'threads' && m.seq !== 1);
    const closed = new Promise((resolve) => client.once('close', resolve));
    runtime.socket.destroy();
    await assert.rejects(pending, (err: unknown) => err instanceof RuntimeError && err.kind === 'disconnected');
    await closed;
    assert.ok(client.closed);
    await assert.rejects(client.request('threads'), /no longer connected/);
  });

  test('events are delivered in order, also those sent with the hello', async () => {
    const token = newToken();
    const listener = await listenForRuntime(token);
    const runtime = await connectPeer(listener.port);
    runtime.socket.write(Buffer.concat([
      encodeLine(runtimeHello(token)),
      encodeLine({ type: 'event', event: 'log', body: { output: 'early' } }),
    ]));
    const client = await listener.connection;
    const seen: unknown[] = [];
    client.on('event', (name, body) => seen.push([name, body]));
    client.startEvents();
    runtime.send({ type: 'event', event: 'stopped', body: { reason: 'entry', threadId: 1 } });
    runtime.send({ type: 'mystery' }); // a newer runtime's message type: ignored
    while (seen.length < 2) await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [['log', { output: 'early' }], ['stopped', { reason: 'entry', threadId: 1 }]]);
    client.close();
  });

  test('malformed data after the handshake drops the link without throwing', async () => {
    const { client, runtime } = await connectedPair();
    const closed = new Promise<string>((resolve) => client.once('close', resolve));
    runtime.socket.write('this is not json\n');
    assert.match(await closed, /malformed/);
  });
});

describe('attach mode: the runtime listens', () => {
  /** A listening runtime that accepts `token` and answers threads. */
  async function fakeListeningRuntime(token: string) {
    const server = net.createServer((socket) => {
      const peer = new Peer(socket);
      void peer.next((m) => m.type === 'hello').then((hello) => {
        if (hello.token !== token) { socket.destroy(); return; }
        peer.send({ type: 'hello', protocol: 1, pid: 42, python: '3.11.0' });
        void peer.next((m) => m.command === 'threads').then((rq) => peer.send({ type: 'response', request_seq: rq.seq, command: 'threads', success: true, body: { threads: [] } }));
      }, () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, port: (server.address() as net.AddressInfo).port };
  }

  test('sends the token in its hello and talks once accepted', async () => {
    const { server, port } = await fakeListeningRuntime('secret');
    const client = await connectToRuntime('127.0.0.1', port, 'secret');
    assert.equal(client.runtimeHello.pid, 42);
    assert.deepEqual(await client.request('threads'), { threads: [] });
    client.close();
    server.close();
  });

  test('a wrong token is explained', async () => {
    const { server, port } = await fakeListeningRuntime('secret');
    await assert.rejects(connectToRuntime('127.0.0.1', port, 'guess'), /refused the session.*token is probably wrong/);
    server.close();
  });

  test('nobody listening is explained', async () => {
    const { server, port } = await fakeListeningRuntime('x');
    await new Promise((r) => server.close(r));
    await assert.rejects(connectToRuntime('127.0.0.1', port, 'x'), /cannot connect to 127\.0\.0\.1:\d+/);
  });
});

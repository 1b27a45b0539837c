// Newline-delimited JSON framing for the runtime connection: one UTF-8 JSON object per line.
import { StringDecoder } from 'node:string_decoder';

/** Why a stream stopped being readable as NDJSON. */
export type FramingError = 'line-too-long' | 'not-json' | 'not-object';

/**
 * Splits a byte stream into JSON objects, one per line. Bytes are buffered until a newline arrives; a line
 * longer than `maxLineBytes` or one that is not a JSON object is reported through `onError` and everything
 * after it is ignored, because a peer that breaks framing once cannot be trusted to resynchronise.
 */
export class NdjsonReader {
  private chunks: Buffer[] = [];
  private pending = 0;
  private failed = false;

  constructor(
    private readonly onMessage: (message: Record<string, unknown>) => void,
    private readonly onError: (error: FramingError, detail: string) => void,
    /** Longest accepted line in bytes; callers raise it once the peer has authenticated. */
    public maxLineBytes: number,
  ) {}

  /** Feeds bytes read from the socket. */
  push(data: Buffer): void {
    let start = 0;
    while (!this.failed) {
      const nl = data.indexOf(0x0a, start);
      if (nl < 0) break;
      this.accumulate(data.subarray(start, nl));
      if (this.failed) return;
      const line = Buffer.concat(this.chunks);
      this.chunks = [];
      this.pending = 0;
      start = nl + 1;
      this.deliver(line);
    }
    if (!this.failed && start < data.length) this.accumulate(data.subarray(start));
  }

  private accumulate(part: Buffer): void {
    this.pending += part.length;
    if (this.pending > this.maxLineBytes) {
      this.fail('line-too-long', `a line exceeded ${this.maxLineBytes} bytes`);
      return;
    }
    if (part.length) this.chunks.push(Buffer.from(part));
  }

  private deliver(line: Buffer): void {
    const text = new StringDecoder('utf8').end(line).replace(/\r$/, '');
    if (!text.trim()) return; // blank keep-alive lines are harmless
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.fail('not-json', text.slice(0, 200));
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.fail('not-object', text.slice(0, 200));
      return;
    }
    this.onMessage(parsed as Record<string, unknown>);
  }

  private fail(error: FramingError, detail: string): void {
    this.failed = true;
    this.chunks = [];
    this.onError(error, detail);
  }
}

/** Serialises one message as a line. JSON.stringify never emits raw newlines, so framing holds. */
export function encodeLine(message: object): Buffer {
  return Buffer.from(JSON.stringify(message) + '\n', 'utf8');
}

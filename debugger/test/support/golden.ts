// Golden transcripts (STYLE §11, after js-debug's goldenText): what VS Code would show — threads, stacks,
// scopes — rendered as readable text and compared to checked-in files under debugger/test/golden/.
// Regenerate with COROSCOPE_UPDATE_GOLDEN=1. Text is normalised so one file holds for every Python:
// repository paths become relative, stdlib frames collapse into one line, addresses and timings are masked.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { repoRoot } from './root';

/** Masks what legitimately differs between runs and interpreters. */
export function normalise(text: string): string {
  return text
    .split(repoRoot() + '/').join('')
    .replace(/[^\s'"]*\/lib\/python3\.\d+\//g, '<stdlib>/')
    .replace(/0x[0-9a-f]+/gi, '0xADDR')
    .replace(/\d+(\.\d+)? s left/g, 'N s left')
    // Measured durations vary run to run; whether a bound is missing (≥) does not, in launched programs.
    .replace(/(time suspended = )(≥ )?.*/g, (_m, key: string, atLeast?: string) => `${key}${atLeast ?? ''}<measured>`);
}

/** True for frames of the standard library (paths outside the repository: asyncio, runpy, ...). */
function isStdlib(frame: DebugProtocol.StackFrame): boolean {
  const path = frame.source?.path;
  return frame.presentationHint !== 'label' && (!path || !path.startsWith(repoRoot()));
}

/** One line per frame; consecutive stdlib frames (whose names and count vary by version) collapse. */
export function renderStack(frames: DebugProtocol.StackFrame[]): string[] {
  const lines: string[] = [];
  for (const frame of frames) {
    if (isStdlib(frame)) {
      if (lines[lines.length - 1] !== '    … standard library frames') lines.push('    … standard library frames');
      continue;
    }
    if (frame.presentationHint === 'label') lines.push(`    ── ${frame.name} ──`);
    else lines.push(`    ${frame.name}  ${frame.source?.path}:${frame.line}`);
  }
  return lines;
}

/** Renders the threads of a stop, the stack of each, and the scopes of the stopped frame. */
export async function renderStop(client: DebugClient, stop: DebugProtocol.StoppedEvent, options: { allStacks?: boolean } = {}): Promise<string> {
  const out: string[] = [];
  const threads = (await client.threadsRequest()).body.threads;
  const stopped = threads.find((t) => t.id === stop.body.threadId);
  out.push(`stopped: ${stop.body.reason} in "${stopped?.name}"${stop.body.description ? ` (${stop.body.description})` : ''}`);
  out.push('threads:');
  for (const t of threads) out.push(`  ${t.name}`);
  for (const t of threads) {
    if (!options.allStacks && t.id !== stop.body.threadId) continue;
    const stack = (await client.stackTraceRequest({ threadId: t.id })).body;
    // Frame counts vary with the stdlib's depth, so they are shown only for stacks of user code alone.
    const count = stack.stackFrames.some(isStdlib) ? '' : ` (${stack.totalFrames} frames)`;
    out.push(`stack of "${t.name}"${count}:`);
    out.push(...renderStack(stack.stackFrames));
  }
  const top = (await client.stackTraceRequest({ threadId: stop.body.threadId as number, startFrame: 0, levels: 1 })).body.stackFrames[0];
  out.push(`scopes of ${top.name}:`);
  for (const scope of (await client.scopesRequest({ frameId: top.id })).body.scopes) {
    const variables = (await client.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
    // Module dunders (__loader__, __spec__, ...) differ across versions and say nothing about the program.
    const shown = variables.filter((v) => !/^__\w+__$/.test(v.name));
    out.push(`  ${scope.name}${shown.length < variables.length ? ' (without dunders)' : ''}`);
    for (const v of shown) out.push(`    ${v.name}${v.type ? `: ${v.type}` : ''} = ${v.value}${v.variablesReference ? ' ▸' : ''}`);
  }
  return normalise(out.join('\n')) + '\n';
}

/** Transcripts written in this run: every interpreter must produce the same text, also when regenerating. */
const writtenThisRun = new Map<string, string>();

/** Compares `text` with debugger/test/golden/`name`.txt, or writes it under COROSCOPE_UPDATE_GOLDEN=1. */
export function assertGolden(name: string, text: string): void {
  const file = join(repoRoot(), 'debugger', 'test', 'golden', `${name}.txt`);
  if (process.env.COROSCOPE_UPDATE_GOLDEN === '1') {
    const earlier = writtenThisRun.get(file);
    if (earlier !== undefined) { assert.equal(text, earlier, `transcript ${name} differs between interpreters`); return; }
    writtenThisRun.set(file, text);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `missing golden file ${file}; run with COROSCOPE_UPDATE_GOLDEN=1 to create it`);
  assert.equal(text, readFileSync(file, 'utf8'), `transcript differs from ${file} (COROSCOPE_UPDATE_GOLDEN=1 regenerates it)`);
}

// `coroscope` — the command-line checker for CI. Same analysis core as the language server.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { initAnalysis, RULES } from './analysis';
import { parseArgs, USAGE, UsageError, type Command } from './cli/args';
import { collectPythonFiles, MissingPathError } from './cli/files';
import { FileChecker, importRoots, type CheckSettings } from './cli/checkFiles';
import { formatJson, formatText, type Finding } from './cli/format';
import { formatSarif } from './cli/sarif';
import { version } from '../../package.json';
import type { WorkerRequest, WorkerResponse } from './cliWorker';

// A run is short, so the optimising compiler's own time counts: with inlining, V8 spent ~2–3 s of CPU
// per thread compiling (and recompiling after deoptimisations) large functions that inline their
// callees. Without it, measured in alternating pairs (docs/performance.md), the stdlib run takes ~15%
// less CPU and asyncio + test_asyncio ~18% less. V8 flags are per process, so worker threads follow.
setFlagsFromString('--no-turbo-inlining');

/**
 * Below this many files the workers' start-up (WASM load) and their duplicated cross-file summaries
 * cost more than they save: measured on asyncio + test_asyncio (~70 files), two workers were slower
 * than one thread.
 */
const PARALLEL_THRESHOLD = 200;
/** Files per message to a worker: few, since only files that need a full analysis go there. */
const BATCH = 4;
/** Files the main thread screens between turns of its event loop, where idle workers are fed. */
const CHUNK = 16;

/**
 * Checks files with `workers` worker threads and this one. The main thread screens every file with the analysis's lexical
 * shortcut (no parse; most files of a large tree end there) and queues the others, which workers take
 * in small batches as they finish; once done screening, the main thread takes batches too. Results
 * in file order. Screening in one place keeps the shortcut's cross-file search and its caches in one
 * thread instead of repeated in every worker, and the main thread's analyses find those caches warm.
 */
async function checkInWorkers(files: string[], settings: CheckSettings, workers: number): Promise<Finding[][] | undefined> {
  const script = join(__dirname, 'cliWorker.js');
  if (!existsSync(script)) return undefined;
  const results: Finding[][] = new Array(files.length);
  const queue: number[] = [];
  let screened = false;
  /** Workers with nothing to do until the screening queues more. */
  const idle: (() => void)[] = [];
  const threads = Array.from({ length: workers }, () => new Promise<void>((resolveWorker, reject) => {
    const worker = new Worker(script, { workerData: settings });
    let outstanding = 0;
    const feed = () => {
      if (queue.length) {
        const ids = queue.splice(0, BATCH);
        outstanding = ids.length;
        worker.postMessage({ ids, files: ids.map((i) => files[i]) } satisfies WorkerRequest);
      } else if (screened) {
        worker.postMessage(null);
      } else {
        idle.push(feed);
      }
    };
    worker.on('message', (response: WorkerResponse) => {
      response.findings.forEach((f, k) => { results[response.ids[k]] = f; });
      outstanding = 0;
      feed();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (outstanding === 0 ? resolveWorker() : reject(new Error(`worker exited with ${code}`))));
  }));
  // A worker failing while the main thread still screens must not be an unhandled rejection.
  const finished = Promise.all(threads);
  finished.catch(() => undefined);
  await initAnalysis();
  const screen = new FileChecker(settings);
  for (let i = 0; i < files.length; i++) {
    if (screen.mayHaveFindings(files[i])) queue.push(i);
    else results[i] = [];
    if (i % CHUNK === CHUNK - 1) {
      while (idle.length && queue.length) idle.shift()!();
      await new Promise((next) => setImmediate(next));
    }
  }
  screened = true;
  while (idle.length) idle.shift()!();
  // Then the main thread analyses too, taking batches like a worker; its cross-file caches are warm.
  while (queue.length) {
    for (const i of queue.splice(0, BATCH)) results[i] = screen.check(files[i]);
    await new Promise((next) => setImmediate(next));
  }
  await finished;
  return results;
}

async function check(command: Extract<Command, { kind: 'check' }>): Promise<number> {
  const files = collectPythonFiles(command.paths);
  const settings: CheckSettings = {
    select: command.select, ignore: command.ignore, pythonVersion: command.pythonVersion, exhaustive: command.exhaustive,
    roots: importRoots(files),
  };
  const jobs = command.jobs ?? (files.length >= PARALLEL_THRESHOLD ? availableParallelism() : 1);
  // The main thread is one of the `jobs` threads: it screens and analyses beside the workers.
  let perFile = jobs > 1 ? await checkInWorkers(files, settings, jobs - 1) : undefined;
  if (!perFile) {
    await initAnalysis();
    const checker = new FileChecker(settings);
    perFile = files.map((f) => checker.check(f));
  }
  const findings = perFile.flat();
  const output = command.format === 'json' ? formatJson(findings)
    : command.format === 'sarif' ? formatSarif(findings, RULES.map((r) => r.meta), version)
      : formatText(findings, files.length);
  process.stdout.write(output);
  return findings.length ? 1 : 0;
}

function rules(format: 'text' | 'json'): number {
  const metas = RULES.map((r) => r.meta);
  if (format === 'json') process.stdout.write(JSON.stringify(metas, null, 2) + '\n');
  else process.stdout.write(metas.map((m) => `${m.code}  ${m.name.padEnd(28)} ${m.severity.padEnd(8)} ${m.summary}`).join('\n') + '\n');
  return 0;
}

/** Runs the CLI and resolves to its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`coroscope: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help': process.stdout.write(USAGE + '\n'); return 0;
    case 'rules': return rules(command.format);
    case 'check':
      try {
        return await check(command);
      } catch (err) {
        if (!(err instanceof MissingPathError)) throw err;
        process.stderr.write(`coroscope: ${err.message}\n`);
        return 2;
      }
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`coroscope: internal error: ${(err as Error)?.stack ?? err}\n`); process.exitCode = 2; },
);

// `coroscope` — the command-line checker for CI. Same analysis core as the language server.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initAnalysis, RULES } from './analysis';
import { parseArgs, USAGE, UsageError, type Command } from './cli/args';
import { collectPythonFiles, MissingPathError } from './cli/files';
import { FileChecker, importRoots, type CheckSettings } from './cli/checkFiles';
import { formatJson, formatText, type Finding } from './cli/format';
import { formatSarif } from './cli/sarif';
import { version } from '../../package.json';
import type { WorkerResponse } from './cliWorker';

/**
 * Below this many files the workers' start-up (WASM load) and their duplicated cross-file summaries
 * cost more than they save: measured on asyncio + test_asyncio (~70 files), two workers were slower
 * than one thread.
 */
const PARALLEL_THRESHOLD = 200;
const BATCH = 8;

/** Checks files on worker threads, batches handed out as workers finish; results in file order. */
async function checkInWorkers(files: string[], settings: CheckSettings, jobs: number): Promise<Finding[][] | undefined> {
  const script = join(__dirname, 'cliWorker.js');
  if (!existsSync(script)) return undefined;
  const results: Finding[][] = new Array(files.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, Math.ceil(files.length / BATCH)) }, () => new Promise<void>((resolveWorker, reject) => {
    const worker = new Worker(script, { workerData: settings });
    const pending = new Map<number, number>();
    const feed = () => {
      if (next >= files.length) { worker.postMessage(null); return; }
      const start = next;
      next = Math.min(files.length, next + BATCH);
      pending.set(start, next - start);
      worker.postMessage({ id: start, files: files.slice(start, next) });
    };
    worker.on('message', (response: WorkerResponse) => {
      if (response.id >= 0) {
        response.findings.forEach((f, i) => { results[response.id + i] = f; });
        pending.delete(response.id);
      }
      feed();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (pending.size === 0 ? resolveWorker() : reject(new Error(`worker exited with ${code}`))));
  })));
  return results;
}

async function check(command: Extract<Command, { kind: 'check' }>): Promise<number> {
  const files = collectPythonFiles(command.paths);
  const settings: CheckSettings = {
    select: command.select, ignore: command.ignore, pythonVersion: command.pythonVersion, exhaustive: command.exhaustive,
    roots: importRoots(files),
  };
  const jobs = command.jobs ?? (files.length >= PARALLEL_THRESHOLD ? availableParallelism() : 1);
  let perFile = jobs > 1 ? await checkInWorkers(files, settings, jobs) : undefined;
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

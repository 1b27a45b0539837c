// Worker thread of `coroscope check`: receives batches of files to analyse, answers with their findings.
// The main thread (cli.ts) skips the files that cannot have findings itself and hands the rest out in
// small batches as workers finish, so uneven file sizes balance out.
import { parentPort, workerData } from 'node:worker_threads';
import { initAnalysis } from './analysis';
import { FileChecker, type CheckSettings } from './cli/checkFiles';

/** Files to analyse, with their indices in the run's file list. */
export interface WorkerRequest { ids: number[]; files: string[] }
/** Findings per file of a request, by the same indices; no ids: the worker is ready. */
export interface WorkerResponse { ids: number[]; findings: import('./cli/format').Finding[][] }

async function main(): Promise<void> {
  await initAnalysis();
  const checker = new FileChecker(workerData as CheckSettings);
  parentPort!.on('message', (request: WorkerRequest | null) => {
    if (request === null) { parentPort!.close(); return; }
    const findings = request.files.map((f) => checker.check(f));
    parentPort!.postMessage({ ids: request.ids, findings } satisfies WorkerResponse);
  });
  parentPort!.postMessage({ ids: [], findings: [] } satisfies WorkerResponse);
}

void main();

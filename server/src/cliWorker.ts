// Worker thread of `coroscope check`: receives batches of file paths, answers with their findings.
// The main thread (cli.ts) hands out batches as workers finish, so uneven file sizes balance out.
import { parentPort, workerData } from 'node:worker_threads';
import { initAnalysis } from './analysis';
import { FileChecker, type CheckSettings } from './cli/checkFiles';

export interface WorkerRequest { id: number; files: string[] }
export interface WorkerResponse { id: number; findings: import('./cli/format').Finding[][] }

async function main(): Promise<void> {
  await initAnalysis();
  const checker = new FileChecker(workerData as CheckSettings);
  parentPort!.on('message', (request: WorkerRequest | null) => {
    if (request === null) { parentPort!.close(); return; }
    const findings = request.files.map((f) => checker.check(f));
    parentPort!.postMessage({ id: request.id, findings } satisfies WorkerResponse);
  });
  parentPort!.postMessage({ id: -1, findings: [] } satisfies WorkerResponse);
}

void main();

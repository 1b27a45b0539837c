// The scratch workspace the real-VS-Code suites open: one file per scenario.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A plain function with an `await`: CORO100 on line 5 (1-based). */
export const MISPLACED_AWAIT = `import asyncio


def report():
    await asyncio.sleep(1)
`;

/** A program that the debugger can stop in: two tasks, one awaiting the other. */
export const TWO_TASKS = `import asyncio


async def worker(n):
    await asyncio.sleep(0.01)
    return n * 2


async def main():
    task = asyncio.create_task(worker(21), name="worker")
    print("result", await task)


asyncio.run(main())
`;

/** Writes the scenario files into `dir`. */
export function writeWorkspace(dir: string): void {
  writeFileSync(join(dir, 'misplaced_await.py'), MISPLACED_AWAIT);
  writeFileSync(join(dir, 'two_tasks.py'), TWO_TASKS);
}

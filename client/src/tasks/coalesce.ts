// One refresh at a time, and none lost: a refresh asked for while another is running runs once more
// after it. (Dropping it instead lost the refresh of a stop that came during a live poll: the view then
// kept the poll's older answer until the next stop.)

/**
 * Wraps `run` so that at most one call runs at a time; calls made meanwhile are merged into one more run
 * after the current one. The returned promise settles when the run that covers the call has finished.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    current = run().finally(() => { current = undefined; });
    return current;
  };
  return () => {
    if (!current) return start();
    // Every call made during this run shares the one run that follows it.
    next ??= current.catch(() => undefined).then(() => { next = undefined; return start(); });
    return next;
  };
}

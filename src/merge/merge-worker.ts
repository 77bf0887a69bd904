import { parentPort } from 'node:worker_threads';
import { foldOrRefuse, type RunResult, type RunsMessage } from './merge-parallel.js';

/**
 * A worker thread of a merge: once sent the runs, takes them from the
 * shared counter until none are left and sends each run's fold back, its
 * table as plain data.
 */
parentPort!.once('message', ({ runs, counter, limits }: RunsMessage) => {
  const shared = new Int32Array(counter);
  for (let i = Atomics.add(shared, 0, 1); i < runs.length; i = Atomics.add(shared, 0, 1)) {
    const r = foldOrRefuse(runs, i, limits);
    const result: RunResult =
      typeof r === 'string'
        ? { index: i, fold: null, refused: r }
        : { index: i, fold: { ...r, table: r.table.toState(), sensors: [...r.sensors] }, refused: null };
    parentPort!.postMessage(result);
  }
});

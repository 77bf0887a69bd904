import { parentPort, workerData } from 'node:worker_threads';
import { auditUnits, type WorkerInput } from './audit-parallel.js';
import { fileFilter } from './drive.js';
import { loadSas } from './keys.js';

/**
 * A worker thread of a parallel audit: takes units from the shared counter
 * until none are left, and sends each unit's table back as a plain copy.
 */
const { opts, units, counter, window } = workerData as WorkerInput;
auditUnits(
  units,
  new Int32Array(counter),
  opts,
  loadSas(opts),
  fileFilter(opts),
  (result) => parentPort!.postMessage(result),
  Infinity,
  window,
);

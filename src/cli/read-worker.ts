import { parentPort, workerData } from 'node:worker_threads';
import { loadSas } from './keys.js';
import { printUnits, type ReadWorkerInput } from './read-parallel.js';

/**
 * A worker thread of `gredump -r`: takes the units the main thread's walk
 * publishes and sends their lines back.
 */
const input = workerData as ReadWorkerInput;
printUnits(input, loadSas(input.opts), (chunk, transfer) => parentPort!.postMessage(chunk, transfer));

import { parentPort, workerData } from 'node:worker_threads';
import { auditUnits, type AuditUnit, type WorkerInput } from './audit-parallel.js';
import { fileFilter } from './drive.js';
import { loadSas } from './keys.js';
import type { TunnelTable } from '../tunnels/table.js';

/**
 * A worker thread of a parallel audit: is sent the units (cut while it
 * starts), takes them from the shared counter until none are left, and
 * sends each unit's table back as a plain copy (toState).
 */
const { opts, counter, window } = workerData as WorkerInput;
const sas = loadSas(opts);
const filter = fileFilter(opts);
parentPort!.once('message', (units: AuditUnit[]) =>
  auditUnits(
    units,
    new Int32Array(counter),
    opts,
    sas,
    filter,
    (result) => parentPort!.postMessage({ ...result, table: (result.table as TunnelTable | null)?.toState() ?? null }),
    Infinity,
    window,
  ),
);

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BINDING_PATH = fileURLToPath(new URL('../../../native/build/Release/gredump_pcap.node', import.meta.url));
let binding: unknown;

/**
 * gredump's native binding (native/pcap.c), loaded on first use: live
 * capture and filters (capture/libpcap.ts) and the pipe calls of output
 * (output/sink.ts) share it. Throws as `require` does when it is not built.
 */
export function nativeBinding(): unknown {
  if (binding === undefined) binding = createRequire(import.meta.url)(BINDING_PATH);
  return binding;
}

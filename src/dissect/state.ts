import { Reassembler } from './reassembly.js';

export interface EngineOptions {
  /** Encapsulations (GRE, IP in IP, ...) one packet may nest before dissection stops. */
  maxTunnelDepth: number;
  reassembly: { maxDatagrams: number; maxBytes: number; timeoutSec: number };
}

export const DEFAULT_OPTIONS: EngineOptions = {
  maxTunnelDepth: 8,
  reassembly: { maxDatagrams: 1024, maxBytes: 32 * 1024 * 1024, timeoutSec: 30 },
};

/** Options from the command line's bounds. */
export function engineOptions(maxDepth: number, reassemblyMb: number): EngineOptions {
  return { maxTunnelDepth: maxDepth, reassembly: { ...DEFAULT_OPTIONS.reassembly, maxBytes: reassemblyMb * 1024 * 1024 } };
}

/** What outlives one packet: fragment buffers today, ESP security associations later. */
export class EngineState {
  readonly reassembly: Reassembler;
  constructor(readonly options: EngineOptions = DEFAULT_OPTIONS) {
    this.reassembly = new Reassembler(options.reassembly);
  }
}

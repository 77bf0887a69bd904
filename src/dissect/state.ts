import type { SaDatabase } from '../ipsec/sa-database.js';
import { Conversations } from './conversations.js';
import { L2tpSessions } from './l2tpv3.js';
import { Reassembler } from './reassembly.js';

export interface EngineOptions {
  /** Encapsulations (GRE, IP in IP, ...) one packet may nest before dissection stops. */
  maxTunnelDepth: number;
  reassembly: { maxDatagrams: number; maxBytes: number; timeoutSec: number };
  /** ESP security associations to decrypt with (--esp-sa, -E). */
  sas?: SaDatabase;
  /**
   * false: IPv4 header checksums are not verified (a run that prints
   * nothing, -r -Y -w: no field reads the verdict, only the warning and the
   * JSON do). A field that comes to read it must make it read it itself.
   */
  headerChecksums?: boolean;
  /**
   * Keep TCP's and UDP's conversations (conversations.ts): for -V and the fields that read them, which then see
   * every frame in order.
   */
  conversations?: boolean;
}

export const DEFAULT_OPTIONS: EngineOptions = {
  maxTunnelDepth: 8,
  reassembly: { maxDatagrams: 1024, maxBytes: 32 * 1024 * 1024, timeoutSec: 30 },
};

/** Options from the command line's bounds. */
export function engineOptions(maxDepth: number, reassemblyMb: number, sas?: SaDatabase): EngineOptions {
  return {
    maxTunnelDepth: maxDepth,
    reassembly: { ...DEFAULT_OPTIONS.reassembly, maxBytes: reassemblyMb * 1024 * 1024 },
    sas,
  };
}

/**
 * What outlives one packet: fragment buffers, the ESP security associations, the L2TPv3 sessions set up, TCP's and
 * UDP's conversations, Van Jacobson's last connection number.
 */
export class EngineState {
  readonly reassembly: Reassembler;
  readonly sas: SaDatabase | null;
  readonly l2tp = new L2tpSessions();
  /** The last connection number a compressed Van Jacobson header sent (vj.ts), -1 none: one without it reuses it. */
  vjConnection = -1;
  /** See EngineOptions.headerChecksums. */
  readonly headerChecksums: boolean;
  /** See EngineOptions.conversations; null when not kept. */
  readonly conversations: Conversations | null;
  constructor(readonly options: EngineOptions = DEFAULT_OPTIONS) {
    this.headerChecksums = options.headerChecksums !== false;
    this.conversations = options.conversations ? new Conversations() : null;
    this.reassembly = new Reassembler(options.reassembly);
    this.sas = options.sas && options.sas.size > 0 ? options.sas : null;
  }
}

import { parseArgs } from 'node:util';

export type Mode = 'read' | 'audit' | 'live' | 'list-interfaces' | 'help' | 'version';

export interface CliOptions {
  mode: Mode;
  files: string[];
  json: boolean;
  count: number;
  debug: boolean;
  failOn: string | undefined;
  interface: string | undefined;
  filter: string | undefined;
  write: string | undefined;
  /** Resource bounds (see --help). */
  maxDepth: number;
  reassemblyMb: number;
  maxTunnels: number;
  /** Wireshark esp_sa files, and tcpdump -E specifications. */
  espSa: string[];
  espSecrets: string[];
  /** `ip xfrm state` output ("-": standard input), and IKEv2 key tables (ikev2_decryption_table, charon save-keys). */
  xfrm: string[];
  ikev2Keys: string[];
  /** -w writes what the packets carry (decap.ts), not the packets. */
  decap: boolean;
  /** Live capture: capture everything instead of the tunnel filter; stop after this many seconds. */
  all: boolean;
  duration: number;
  /** Live capture: put the interface in promiscuous mode (-p turns it off). */
  promiscuous: boolean;
  /** Text lines even on a terminal. */
  noTui: boolean;
  /** Threads for reading large files (-r, audit); undefined: one a core, at most 8. */
  threads: number | undefined;
}

/** A usage error: exit status 2 with this one line. */
export class UsageError extends Error {}

export const USAGE = `usage:
  gredump -r FILE [FILE...] [-f BPF] [--json] [-c N] [-w OUT.pcap]
                                              dissect a pcap/pcapng capture ("-" reads standard input)
  gredump audit FILE... [-f BPF] [--json] [--fail-on LEVEL] [--esp-sa FILE]
  gredump -i IFACE [-f BPF | --all] [-p] [-c N] [--duration S] [-w OUT.pcap] [--json]
  gredump audit -i IFACE (-c N | --duration S) [--json]
  gredump -D                                  list capture interfaces
options:
  -r, --read FILE     read a capture file (repeatable; more files may follow)
      --json          one JSON object a packet (NDJSON); with audit, one JSON report
      --no-tui        text lines even on a terminal (also when CI is set or stdout is not a terminal)
  -i, --interface IF  capture live through libpcap (needs root or CAP_NET_RAW)
  -f, --filter BPF    capture filter (tcpdump's syntax); live, the default captures GRE,
                      ESP, AH, IKE, NAT-T, GRE in UDP and PPTP control, VLAN-tagged or
                      not; on files, only the packets it passes are read
      --all           capture everything
  -p, --no-promiscuous  do not put the interface into promiscuous mode
  -w, --write FILE    also write what was captured (or read and passed -f) to a pcap file
      --duration S    stop a live capture after S seconds
  -c, --count N       stop after N packets
      --max-depth N   tunnels nested deeper than N are not dissected further (8)
      --reassembly-mb N  memory for IP fragments waiting to be reassembled (32)
      --max-tunnels N tunnels (and IPsec peer pairs) tracked at once; the idlest are evicted past it (100000)
      --esp-sa FILE   decrypt ESP with the SAs of a Wireshark esp_sa file (repeatable)
  -E SPEC             decrypt ESP as tcpdump does: "spi@dst algo:secret[,...]" or "file NAME"
      --xfrm FILE     decrypt ESP with the kernel's SAs: the output of ip xfrm state ("-": stdin)
      --ikev2-keys FILE  decrypt IKEv2 with Wireshark's ikev2_decryption_table (or charon save-keys)
      --decap         with -w: write what the packets carry (decrypted ESP, GRE, ERSPAN, VXLAN payloads)
      --threads N     threads that read large capture files (default: one a core, at most 8;
                      1 reads everything in one thread)
      --debug         show stack traces of internal errors
  -h, --help          this text
  -V, --version       the version`;

export function parseCli(argv: string[]): CliOptions {
  let args = argv;
  let mode: Mode = 'read';
  if (args[0] === 'audit') {
    mode = 'audit';
    args = args.slice(1);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        read: { type: 'string', short: 'r', multiple: true },
        json: { type: 'boolean' },
        count: { type: 'string', short: 'c' },
        debug: { type: 'boolean' },
        'fail-on': { type: 'string' },
        interface: { type: 'string', short: 'i' },
        filter: { type: 'string', short: 'f' },
        write: { type: 'string', short: 'w' },
        'max-depth': { type: 'string' },
        'reassembly-mb': { type: 'string' },
        'max-tunnels': { type: 'string' },
        'esp-sa': { type: 'string', multiple: true },
        secret: { type: 'string', short: 'E', multiple: true },
        xfrm: { type: 'string', multiple: true },
        'ikev2-keys': { type: 'string', multiple: true },
        decap: { type: 'boolean' },
        all: { type: 'boolean' },
        'no-tui': { type: 'boolean' },
        threads: { type: 'string' },
        duration: { type: 'string' },
        'no-promiscuous': { type: 'boolean', short: 'p' },
        'list-interfaces': { type: 'boolean', short: 'D' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const v = parsed.values;
  if (v.help) mode = 'help';
  else if (v.version) mode = 'version';
  else if (v['list-interfaces']) mode = 'list-interfaces';
  else if (v.interface !== undefined && mode === 'read') mode = 'live';

  // Files: -r FILE, and any further positional names (gredump -r a.pcap b.pcap).
  const files = [...(v.read ?? []), ...parsed.positionals];
  const count = v.count === undefined ? Infinity : positive('-c', v.count);
  if (mode === 'read' && files.length === 0) throw new UsageError('nothing to read: give -r FILE or -i IFACE (gredump --help)');
  if (mode === 'audit' && files.length === 0 && v.interface === undefined) throw new UsageError('audit needs capture files, or -i IFACE with -c N or --duration S');
  if (mode === 'audit' && v.interface !== undefined && v.count === undefined && v.duration === undefined) {
    throw new UsageError('a live audit needs an end: -c N packets or --duration SECONDS');
  }
  if (v['no-promiscuous'] && v.interface === undefined) throw new UsageError('-p is for live capture (-i IFACE)');
  if (v.all && v.interface === undefined) throw new UsageError('--all is for live capture (-i IFACE): files are read whole unless -f filters them');
  if (v.filter !== undefined && v.all) throw new UsageError('-f and --all do not go together');
  if (v.decap && (v.write === undefined || mode !== 'read')) throw new UsageError('--decap goes with -r FILE -w OUT: it writes what the packets carry');
  if (mode === 'read' && parsed.positionals.length > 0 && !v.read) throw new UsageError(`unexpected "${parsed.positionals[0]}": use -r FILE to read a capture`);
  return {
    mode, files, json: v.json ?? false, count, debug: v.debug ?? false, failOn: v['fail-on'],
    interface: v.interface, filter: v.filter, write: v.write,
    maxDepth: v['max-depth'] === undefined ? 8 : positive('--max-depth', v['max-depth']),
    reassemblyMb: v['reassembly-mb'] === undefined ? 32 : positive('--reassembly-mb', v['reassembly-mb']),
    maxTunnels: v['max-tunnels'] === undefined ? 100_000 : positive('--max-tunnels', v['max-tunnels']),
    espSa: v['esp-sa'] ?? [],
    espSecrets: v.secret ?? [],
    xfrm: v.xfrm ?? [],
    ikev2Keys: v['ikev2-keys'] ?? [],
    decap: v.decap ?? false,
    all: v.all ?? false,
    duration: v.duration === undefined ? Infinity : positive('--duration', v.duration),
    noTui: v['no-tui'] ?? false,
    promiscuous: !v['no-promiscuous'],
    threads: v.threads === undefined ? undefined : positive('--threads', v.threads),
  };
}

function positive(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} wants a positive whole number, not "${text}"`);
  return n;
}

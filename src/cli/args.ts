import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Rotation } from '../capture/rotating-writer.js';
import { TCPDUMP_TIME, TSHARK_TIME, type TimeFormat } from '../output/timestamp.js';
import type { IoStatInterval } from '../output/io-statistics.js';
import {
  DEFAULT_COLUMN_OPTIONS,
  FieldOptionError,
  isColumnOption,
  parseColumnOption,
  type FieldColumnOptions,
} from '../output/field-columns.js';
import { editDistance } from '../util/edit-distance.js';
import { parseIp, parseIpv6 } from '../util/ip-text.js';
import { ipv4, ipv6 } from '../dissect/addr.js';
import {
  CONVERSATION_TITLES,
  FOLLOW_MODES,
  STATISTICS_KINDS,
  STATS_TREES,
  type ConversationType,
  type FollowMode,
  type FollowSpec,
  type StatisticsKind,
  type StatsTreeName,
} from '../output/statistics-types.js';

export type Mode = 'read' | 'audit' | 'merge' | 'live' | 'list-interfaces' | 'help' | 'version';

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
  /** Live capture: libpcap's kernel buffer in KiB (-B, as tcpdump's); undefined: 32 MiB. */
  bufferKib: number | undefined;
  /** Text lines even on a terminal. */
  noTui: boolean;
  /** Threads for reading large files (-r, audit); undefined: one a core, at most 8. */
  threads: number | undefined;
  /** How text lines give the time (-t...-ttttt, -t FORMAT). */
  timeFormat: TimeFormat;
  /** -w rotation, as tcpdump's: -C millions of bytes, -G seconds, -W files. */
  rotateMb: number | undefined;
  rotateSeconds: number | undefined;
  rotateCount: number | undefined;
  /** -Y: a Wireshark display filter; only the packets it matches are printed, written or audited. */
  displayFilter: string | undefined;
  /** -T fields -e F...: the named fields of each packet as columns, with tshark's -E options. */
  fieldColumns: string[] | null;
  columnOptions: FieldColumnOptions;
  /** -V: each packet's layers as a tree of fields; -O: only these protocols' (others as one line). */
  detail: boolean;
  detailOnly: string[] | null;
  /** -z conv|endpoints,TYPE[,FILTER], io,phs[,FILTER], io,stat,..., follow,...: tshark's tables, printed last. */
  statistics: StatisticsSpec[];
  /** -q: no line for each packet (the -z tables alone), as tshark's. */
  quiet: boolean;
  /** -x: a hex and ASCII dump of each packet's bytes. */
  hexDump: boolean;
  /** -P/--print: with -w, still print each packet's line (tshark's -P, tcpdump's --print). */
  print: boolean;
  /**
   * audit --partial OUT: write the audit's state (a partial) instead of its report; merge --partial: the merged state.
   */
  partial: string | undefined;
  /** The name partials give their source (default: the host's name). */
  sensor: string | undefined;
  /** audit --every S: close a partial (and, with --json, print a report) every S seconds of capture time. */
  every: number | undefined;
  /**
   * --tables DIR: tunnels, SAs, IKE, findings and time buckets as NDJSON (and Parquet with --tables-format parquet).
   */
  tables: string | undefined;
  tablesFormat: 'ndjson' | 'parquet';
}

/** -C, -G and -W as the rotating -w writer takes them. */
export const rotationOf = (opts: CliOptions): Rotation => ({
  sizeMb: opts.rotateMb,
  seconds: opts.rotateSeconds,
  count: opts.rotateCount,
});

/** A usage error: exit status 2 with this one line. */
export class UsageError extends Error {}

export const USAGE = `usage:
  gredump -r FILE [FILE...] [-f BPF] [--json] [-c N] [-w OUT.pcap] [-t...]
                                              dissect a pcap/pcapng capture, also gzip or zstd compressed
                                              ("-" reads standard input)
  gredump audit FILE... [-f BPF] [--json] [--fail-on LEVEL] [--esp-sa FILE]
  gredump -i IFACE [-f BPF | --all] [-p] [-c N] [--duration S] [-w OUT.pcap [-C MB] [-G S] [-W N]] [--json]
  gredump audit -i IFACE (-c N | --duration S) [--json]
  gredump audit FILE... --partial OUT.gdp [--sensor NAME]
                                              write the audit's state (a partial) for gredump merge
  gredump audit -i IFACE --every S (--partial DIR/ | --json) [--sensor NAME]
                                              a partial (and/or an NDJSON report) every S seconds
  gredump merge PARTIAL... [--json] [--fail-on LEVEL] [--partial OUT.gdp] [--tables DIR]
                                              one audit from partials, in any order
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
  -B, --buffer-size KIB  the kernel's capture buffer in KiB, as tcpdump's -B (32768: 32 MiB)
  -w, --write FILE    write what was captured (or read and passed -f and -Y) to a pcap file
                      ("-": standard output, as tcpdump -w - | ...);
                      lines are then not printed (--json, -T fields, -V and -x still are)
  -P, --print         with -w, print each packet's line too (tshark's -P, tcpdump's --print)
  -C, --file-size MB  start a new -w file once it holds MB million bytes: FILE, FILE1, FILE2...
  -G, --rotate-seconds SECONDS  start a new -w file every SECONDS of capture time; FILE may
                      hold strftime fields (%Y-%m-%d_%H:%M:%S)
  -W, --file-count COUNT  with -C: a ring of COUNT files (FILE0...), the oldest overwritten;
                      with -G: stop after COUNT files
      --duration S    stop a live capture after S seconds
  -c, --count N       stop after N packets
      --max-depth N   tunnels nested deeper than N are not dissected further (8)
      --reassembly-mb N  memory for IP fragments waiting to be reassembled (32)
      --max-tunnels N tunnels (and IPsec peer pairs) tracked at once; the idlest are evicted past it (100000)
      --esp-sa FILE   decrypt ESP with the SAs of a Wireshark esp_sa file (repeatable)
  -E SPEC             decrypt ESP as tcpdump does: "spi@dst algo:secret[,...]" or "file NAME"
                      (with -T fields, tshark's header=y|n, separator=C, occurrence=a|f|l|N,
                      aggregator=C, quote=d|s|n)
  -Y, --display-filter FILTER  a Wireshark display filter (gre.key == 42, ip.addr#2 == 10.1.0.0/16,
                      esp.spi == 0xc0010001, ospf && ip.src#-1 == 10.0.0.1); with -r, -i, -w and audit
  -T fields -e FIELD  print these fields of each packet as columns, as tshark -T fields (repeat -e)
  -V                  packet detail: each layer's fields as a tree, as tshark -V
  -O PROTOS           packet detail of these protocols only (comma-separated, e.g. gre,esp)
  -x                  a hex and ASCII dump of each packet after its line or tree
  -z conv,TYPE[,FILTER]  after the packets, tshark's table of TYPE's conversations (eth, ip,
                      ipv6, tcp, udp): frames and bytes each way, start, duration (repeatable)
  -z endpoints,TYPE[,FILTER]  the same for each endpoint: what it sent and received
  -z io,phs[,FILTER]  tshark's protocol hierarchy: each protocol under the one that carries it,
                      with its frames and bytes (what each tunnel carries, and how much)
  -z plen,tree[,FILTER]  tshark's frames by length (how many come near a tunnel's MTU), with rates
  -z ip_hosts|ip_srcdst|ptype|dests,tree[,FILTER]  tshark's IPv4 trees: addresses (outer and inner),
                      sources and destinations, transports, destinations and their ports
  -z ipv6_hosts|ipv6_srcdst|ipv6_ptype|ipv6_dests,tree[,FILTER]  the same trees by IPv6 headers
  -z icmp|icmpv6,srt[,FILTER]  tshark's pings: requests, replies, lost, response times (min, max,
                      mean, median, deviation) and the frames of the fastest and slowest reply
  -z io,stat,INTERVAL[,COLUMN]...  frames and bytes each INTERVAL seconds (0: the whole capture),
                      a column per filter (io,stat,1,gre,esp) or COUNT|SUM|MIN|MAX|AVG(FIELD)FILTER
  -z follow,tcp|udp,MODE,STREAM[,RANGE]  a stream's payload, each side in turn (MODE ascii, hex,
                      raw, yaml; STREAM tcp.stream's number or ADDR:PORT,ADDR:PORT), as tshark's
  -q                  no line for each packet (with -z: the tables alone)
      --xfrm FILE     decrypt ESP with the kernel's SAs: the output of ip xfrm state ("-": stdin)
      --ikev2-keys FILE  decrypt IKEv2 with Wireshark's ikev2_decryption_table (or charon save-keys)
      --decap         with -w: write what the packets carry (decrypted ESP, GRE, ERSPAN, VXLAN payloads)
      --threads N     threads that read large capture files or merge many partials (default: one
                      a core, at most 8; 1 reads everything in one thread)
  -t                  no time on text lines; -tt seconds since 1970; -ttt since the packet
                      before; -tttt date and time; -ttttt since the first packet (tcpdump)
  -t a|ad|adoy|u|ud|udoy|r|d|dd|e, --time-format FORMAT (also -tad...)
                      tshark's: time, date and time, year/day and time (u: in UTC), since the
                      first, since the one before, seconds since 1970 (the default is the
                      time, and the date on packets of another day than the first)
  -n, -nn, --no-resolve  accepted (tcpdump's): gredump never resolves names
      --partial OUT   audit: write its state to OUT (a file, or a directory for named ones); merge: the merged state
      --sensor NAME   the sensor named in partials (default: this host's name)
      --every S       audit: a partial and/or a report every S seconds of capture time
      --tables DIR    audit and merge: tunnels, SAs, IKE, findings and time buckets as NDJSON tables
      --tables-format ndjson|parquet  the tables' format (ndjson)
      --debug         show stack traces of internal errors
  -h, --help          this text
  -v, --version       the version`;

/** The options, once: parseArgs reads them and a misspelling is matched against them. */
const OPTIONS = {
  read: { type: 'string', short: 'r', multiple: true },
  json: { type: 'boolean' },
  count: { type: 'string', short: 'c' },
  debug: { type: 'boolean' },
  'fail-on': { type: 'string' },
  interface: { type: 'string', short: 'i' },
  filter: { type: 'string', short: 'f' },
  write: { type: 'string', short: 'w' },
  print: { type: 'boolean', short: 'P' },
  'file-size': { type: 'string', short: 'C' },
  'rotate-seconds': { type: 'string', short: 'G' },
  'file-count': { type: 'string', short: 'W' },
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
  'buffer-size': { type: 'string', short: 'B' },
  'list-interfaces': { type: 'boolean', short: 'D' },
  // -n and -nn: gredump never resolves names, so these change nothing (tcpdump habit).
  'no-resolve': { type: 'boolean', short: 'n', multiple: true },
  // -t, -tt, ... -ttttt count; tshark's "-t FORMAT" is taken apart before parseArgs.
  time: { type: 'boolean', short: 't', multiple: true },
  'time-format': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'display-filter': { type: 'string', short: 'Y' },
  'output-format': { type: 'string', short: 'T' },
  statistics: { type: 'string', short: 'z', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  field: { type: 'string', short: 'e', multiple: true },
  detail: { type: 'boolean', short: 'V' },
  'detail-of': { type: 'string', short: 'O' },
  hex: { type: 'boolean', short: 'x' },
  partial: { type: 'string' },
  sensor: { type: 'string' },
  every: { type: 'string' },
  tables: { type: 'string' },
  'tables-format': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** What each option that takes a value wants, for "-r wants FILE". */
const VALUE_NAMES: Record<string, string> = {
  read: 'FILE',
  count: 'N',
  'fail-on': 'LEVEL',
  interface: 'IFACE',
  filter: 'BPF',
  write: 'FILE',
  'file-size': 'MB',
  'rotate-seconds': 'SECONDS',
  'file-count': 'COUNT',
  'max-depth': 'N',
  'reassembly-mb': 'N',
  'max-tunnels': 'N',
  'buffer-size': 'KIB',
  'esp-sa': 'FILE',
  secret: 'SPEC',
  xfrm: 'FILE',
  'ikev2-keys': 'FILE',
  threads: 'N',
  duration: 'S',
  'time-format': 'FORMAT',
  'display-filter': 'FILTER',
  'output-format': 'fields',
  statistics: 'conv,TYPE[,FILTER]',
  field: 'FIELD',
  'detail-of': 'PROTOCOLS',
  partial: 'OUT',
  sensor: 'NAME',
  every: 'SECONDS',
  tables: 'DIR',
  'tables-format': 'FORMAT',
};

export function parseCli(argv: string[]): CliOptions {
  let args = argv;
  let mode: Mode = 'read';
  if (args[0] === 'audit' || args[0] === 'merge') {
    mode = args[0];
    args = args.slice(1);
  }
  args = filterWithDash(tsharkTimeFormat(args));
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError(usageErrorLine(err as Error & { code?: string }, args));
  }
  const v = parsed.values;
  if (v.help) mode = 'help';
  else if (v.version) mode = 'version';
  else if (v['list-interfaces']) mode = 'list-interfaces';
  else if (v.interface !== undefined && mode === 'read') mode = 'live';

  // Files: -r FILE, and any further positional names (gredump -r a.pcap b.pcap).
  const files = [...(v.read ?? []), ...parsed.positionals];
  const count = v.count === undefined ? Infinity : positive('-c', v.count);
  if (v.read && v.interface !== undefined)
    throw new UsageError('-r FILE and -i IFACE do not go together: read a capture or capture live');
  if (mode === 'audit' && files.length > 0 && v.interface !== undefined)
    throw new UsageError('audit reads capture files or captures live (-i IFACE), not both');
  if (mode === 'read' && files.length === 0)
    throw new UsageError('nothing to read: give -r FILE or -i IFACE (gredump --help)');
  if (mode === 'audit' && files.length === 0 && v.interface === undefined)
    throw new UsageError('audit needs capture files, or -i IFACE with -c N or --duration S');
  if (
    mode === 'audit' &&
    v.interface !== undefined &&
    v.count === undefined &&
    v.duration === undefined &&
    v.every === undefined
  ) {
    throw new UsageError('a live audit needs an end (-c N packets or --duration SECONDS) or --every SECONDS');
  }
  if (mode === 'merge') {
    if (files.length === 0) throw new UsageError('merge needs partial files (written by gredump audit --partial)');
    if (v.interface !== undefined || v.every !== undefined || v.sensor !== undefined)
      throw new UsageError('merge reads partials: -i, --every and --sensor are for audit');
    if (
      v.filter !== undefined ||
      v['display-filter'] !== undefined ||
      v['esp-sa'] !== undefined ||
      v.secret?.length ||
      v.count !== undefined ||
      v.write !== undefined
    ) {
      throw new UsageError('merge reads partials: -f, -Y, --esp-sa, -E, -c and -w are for audit');
    }
  }
  if (
    (v.partial !== undefined || v.every !== undefined || v.sensor !== undefined) &&
    mode !== 'audit' &&
    mode !== 'merge'
  ) {
    throw new UsageError('--partial, --every and --sensor go with gredump audit');
  }
  if (v['fail-on'] !== undefined && mode !== 'audit' && mode !== 'merge')
    throw new UsageError('--fail-on goes with gredump audit or merge: it judges their findings');
  if (v.tables !== undefined && mode !== 'audit' && mode !== 'merge')
    throw new UsageError('--tables goes with gredump audit or merge');
  if (mode === 'audit' && v.partial !== undefined && v['fail-on'] !== undefined)
    throw new UsageError("--partial writes the audit's state, not its findings: give --fail-on to gredump merge");
  if (mode === 'audit' && v.partial !== undefined && v.json && v.every === undefined)
    throw new UsageError(
      "--partial writes the audit's state, not a report: --json goes with gredump merge (or with --every)",
    );
  if (v.every !== undefined && v.partial === undefined && !v.json && v.tables === undefined)
    throw new UsageError('--every needs --partial DIR/, --json or --tables DIR');
  if (v.every !== undefined && v['fail-on'] !== undefined)
    throw new UsageError('--every and --fail-on do not go together');
  if (v.sensor !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(v.sensor))
    throw new UsageError(`--sensor wants a name of letters, digits, ".", "_" and "-" (up to 100), not "${v.sensor}"`);
  const tablesFormat = v['tables-format'] ?? 'ndjson';
  if (tablesFormat !== 'ndjson' && tablesFormat !== 'parquet')
    throw new UsageError(`--tables-format takes ndjson or parquet, not "${tablesFormat}"`);
  if (v['tables-format'] !== undefined && v.tables === undefined)
    throw new UsageError('--tables-format goes with --tables DIR');
  if (v['no-promiscuous'] && v.interface === undefined) throw new UsageError('-p is for live capture (-i IFACE)');
  if (v['buffer-size'] !== undefined && v.interface === undefined)
    throw new UsageError('-B is for live capture (-i IFACE)');
  const bufferKib = v['buffer-size'] === undefined ? undefined : positive('-B', v['buffer-size']);
  // libpcap takes the size in bytes as an int.
  if (bufferKib !== undefined && bufferKib > 2 ** 21 - 1)
    throw new UsageError(`-B wants at most ${2 ** 21 - 1} KiB (just under 2 GiB), not ${bufferKib}`);
  if (v.all && v.interface === undefined)
    throw new UsageError('--all is for live capture (-i IFACE): files are read whole unless -f filters them');
  if (v.filter !== undefined && v.all) throw new UsageError('-f and --all do not go together');
  if (v.decap && (v.write === undefined || mode !== 'read'))
    throw new UsageError('--decap goes with -r FILE -w OUT: it writes what the packets carry');
  if (mode === 'read' && parsed.positionals.length > 0 && !v.read) {
    const word = parsed.positionals[0]!;
    const command = ['audit', 'merge'].find((c) => editDistance(word, c) <= 2);
    if (command === word) throw new UsageError(`${word} comes first: gredump ${word} [options] FILE...`);
    throw new UsageError(
      command
        ? `unknown command "${word}"; did you mean ${command}?`
        : `unexpected "${word}": use -r FILE to read a capture`,
    );
  }
  const rotating = v['file-size'] !== undefined || v['rotate-seconds'] !== undefined || v['file-count'] !== undefined;
  if (rotating && v.write === undefined) throw new UsageError('-C, -G and -W rotate the -w file: give -w FILE');
  if (v.write === '-') {
    // -w -: the capture goes to standard output (tcpdump -w - | ...), so nothing else may.
    if (rotating) throw new UsageError('-w - writes to standard output: -C, -G and -W rotate files');
    const printing = v.print || v.json || v['output-format'] !== undefined || v.detail || v.hex;
    if (printing) throw new UsageError('-w - writes the capture to standard output: print lines with -w FILE');
    if (mode !== 'read') throw new UsageError('-w - goes with -r or -i');
  }
  if (v['file-count'] !== undefined && v['file-size'] === undefined && v['rotate-seconds'] === undefined)
    throw new UsageError('-W COUNT goes with -C MB (a ring of COUNT files) or -G SECONDS (stop after COUNT files)');
  // tcpdump's -E is an ESP secret; tshark's -E, an option of -T fields: the text tells them apart.
  const secrets = (v.secret ?? []).filter((s) => !isColumnOption(s));
  const columnOptions = { ...DEFAULT_COLUMN_OPTIONS };
  try {
    for (const s of v.secret ?? []) if (isColumnOption(s)) parseColumnOption(s, columnOptions);
  } catch (err) {
    if (err instanceof FieldOptionError) throw new UsageError(err.message);
    throw err;
  }
  const format = v['output-format'];
  if (format !== undefined && format !== 'fields' && format !== 'text')
    throw new UsageError(`-T takes fields or text (for JSON: --json), not "${format}"`);
  if (format === 'fields' && !v.field?.length) throw new UsageError('-T fields needs at least one -e FIELD');
  if (v.field?.length && format !== 'fields') throw new UsageError('-e FIELD goes with -T fields');
  if (mode === 'audit' && (format !== undefined || v.detail || v.hex || v['detail-of'] !== undefined))
    throw new UsageError('audit prints a report: -T, -V, -O and -x are for -r and -i');
  if (format === 'fields' && (v.json || v.detail || v['detail-of'] !== undefined))
    throw new UsageError('-T fields does not go with --json, -V or -O');
  return {
    mode,
    files,
    json: v.json ?? false,
    count,
    debug: v.debug ?? false,
    failOn: v['fail-on']?.toLowerCase(),
    interface: v.interface,
    filter: v.filter,
    write: v.write,
    maxDepth: v['max-depth'] === undefined ? 8 : positive('--max-depth', v['max-depth']),
    reassemblyMb: v['reassembly-mb'] === undefined ? 32 : positive('--reassembly-mb', v['reassembly-mb']),
    maxTunnels: v['max-tunnels'] === undefined ? 100_000 : positive('--max-tunnels', v['max-tunnels']),
    espSa: v['esp-sa'] ?? [],
    espSecrets: secrets,
    xfrm: v.xfrm ?? [],
    ikev2Keys: v['ikev2-keys'] ?? [],
    decap: v.decap ?? false,
    all: v.all ?? false,
    duration: v.duration === undefined ? Infinity : positive('--duration', v.duration),
    noTui: v['no-tui'] ?? false,
    promiscuous: !v['no-promiscuous'],
    bufferKib,
    threads: v.threads === undefined ? undefined : positive('--threads', v.threads),
    timeFormat: timeFormatOf(v.time?.length ?? 0, v['time-format']),
    rotateMb: v['file-size'] === undefined ? undefined : positive('-C', v['file-size']),
    rotateSeconds: v['rotate-seconds'] === undefined ? undefined : positive('-G', v['rotate-seconds']),
    rotateCount: v['file-count'] === undefined ? undefined : positive('-W', v['file-count']),
    displayFilter: v['display-filter'],
    fieldColumns: format === 'fields' ? v.field! : null,
    columnOptions,
    detail: (v.detail ?? false) || v['detail-of'] !== undefined,
    detailOnly:
      v['detail-of'] === undefined
        ? null
        : v['detail-of']
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    statistics: statisticsTables(v.statistics ?? [], mode, v.interface),
    quiet: v.quiet ?? false,
    hexDump: v.hex ?? false,
    print: v.print ?? false,
    partial: v.partial,
    sensor: v.sensor,
    every: v.every === undefined ? undefined : positive('--every', v.every),
    tables: v.tables,
    tablesFormat,
  };
}

/**
 * A display filter may start with a minus (`-Y '-tcp.window_size < -100'`), which tshark's getopt takes as -Y's value
 * and parseArgs as an option: glue it to --display-filter= unless it is spelt as options of ours (`-Y -w`: a forgotten
 * filter, said as such).
 */
function filterWithDash(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return out.concat(args.slice(i));
    const value = args[i + 1];
    if ((arg === '-Y' || arg === '--display-filter') && value?.startsWith('-') && !spelledAsOptions(value)) {
      out.push(`--display-filter=${value}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function spelledAsOptions(arg: string): boolean {
  const long = /^--([a-z-]+)(=|$)/.exec(arg)?.[1];
  if (long !== undefined) return Object.hasOwn(OPTIONS, long);
  const shorts = new Set<string>(Object.values(OPTIONS).map((o) => ('short' in o ? o.short : '')));
  return /^-[A-Za-z]+$/.test(arg) && [...arg.slice(1)].every((c) => shorts.has(c));
}

/**
 * tshark's `-t ad` (a separate word after -t) and `-tad` (glued) become
 * --time-format ad; -t alone stays tcpdump's, and so does -tr (tcpdump's
 * -t -r FILE, as in -tnr).
 */
function tsharkTimeFormat(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return out.concat(args.slice(i));
    if (arg === '-t' && args[i + 1] !== undefined && Object.hasOwn(TSHARK_TIME, args[i + 1]!))
      out.push(`--time-format=${args[++i]}`);
    else if (arg.startsWith('-t') && arg !== '-tr' && Object.hasOwn(TSHARK_TIME, arg.slice(2)))
      out.push(`--time-format=${arg.slice(2)}`);
    else out.push(arg);
  }
  return out;
}

function timeFormatOf(ts: number, tshark: string | undefined): TimeFormat {
  if (ts > 0 && tshark !== undefined)
    throw new UsageError(`-t ${tshark} and -${'t'.repeat(ts)} do not go together: give one time format`);
  if (tshark !== undefined) {
    const f = TSHARK_TIME[tshark];
    if (!f)
      throw new UsageError(
        `-t wants one of ${Object.keys(TSHARK_TIME).join(', ')} (tshark) or -t to -ttttt (tcpdump), not "${tshark}"`,
      );
    return f;
  }
  if (ts > TCPDUMP_TIME.length) throw new UsageError(`-${'t'.repeat(ts)}: tcpdump's time options go up to -ttttt`);
  return ts === 0 ? 'default' : TCPDUMP_TIME[ts - 1]!;
}

/** parseArgs' error as one line of ours, naming the nearest option for a misspelling. */
function usageErrorLine(err: Error & { code?: string }, args: string[]): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  const name = (flag: string) => {
    const long = /--([a-z-]+)/.exec(flag)?.[1];
    if (long) return long;
    const short = /^-(.)/.exec(flag)?.[1];
    return Object.entries(OPTIONS).find(([, o]) => 'short' in o && o.short === short)?.[0] ?? flag;
  };
  const spelled = (key: string) => {
    const o = OPTIONS[key as keyof typeof OPTIONS];
    return o && 'short' in o ? `-${o.short}` : `--${key}`;
  };
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = nearestOption(quoted);
      return near
        ? `unknown option ${quoted}; did you mean ${near}?`
        : `unknown option ${quoted} (gredump --help lists the options)`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const key = name(quoted);
      // Only --name=value gives a value to an option that takes none.
      if (/does not take an argument/.test(err.message)) return `--${key} takes no value`;
      const at = args.findIndex((a) => a === quoted || a.startsWith(`${quoted}=`));
      const next = at >= 0 ? args[at + 1] : undefined;
      const wants = `${spelled(key)} wants ${VALUE_NAMES[key] ?? 'a value'}`;
      return next !== undefined && /ambiguous/.test(err.message) ? `${wants}, not the option "${next}"` : wants;
    }
    default:
      return err.message.split('\n')[0]!;
  }
}

/** The option nearest to a misspelt one (at most a third of its letters off), as it is written. */
function nearestOption(flag: string): string | null {
  if (!flag.startsWith('--')) return null; // a single letter is too short to guess from
  const word = flag.slice(2).split('=')[0]!;
  // A word cut short (--fail for --fail-on) names the option it starts.
  const started = Object.keys(OPTIONS).filter((k) => k !== 'time' && k.startsWith(word));
  if (started.length === 1) return `--${started[0]}`;
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const key of Object.keys(OPTIONS)) {
    if (key === 'time') continue; // -t's long name is only for parseArgs
    const d = editDistance(word, key);
    if (d < bestDistance) {
      bestDistance = d;
      best = `--${key}`;
    }
  }
  return best;
}

/** One -z table: `conv,ip`, `endpoints,tcp,FILTER`, `io,phs`, `io,stat,1,gre`. */
export type StatisticsSpec =
  | { kind: StatisticsKind; type: ConversationType; filter: string | null }
  | { kind: 'phs'; filter: string | null }
  | { kind: 'io-stat'; spec: string; interval: IoStatInterval; columns: string }
  | { kind: 'follow'; follow: FollowSpec }
  | { kind: 'tree'; tree: StatsTreeName; filter: string | null }
  | { kind: 'srt'; version: 4 | 6; filter: string | null };

/** tshark's name of its protocol hierarchy statistics (-z io,phs). */
export const PROTOCOL_HIERARCHY = 'io,phs';
/** tshark's name of its statistics by interval (-z io,stat,INTERVAL[,COLUMN]...). */
export const IO_STAT = 'io,stat';
/** tshark's name of a stream's payload (-z follow,tcp|udp,MODE,STREAM[,RANGE]). */
export const FOLLOW = 'follow';

/**
 * -z tables (tshark's) from files: conv, endpoints, io,phs, NAME,tree, icmp|icmpv6,srt (a filter optional), io,stat,
 * follow.
 */
function statisticsTables(specs: string[], mode: Mode, live: string | undefined): StatisticsSpec[] {
  if (specs.length > 0 && (mode !== 'read' || live !== undefined))
    throw new UsageError('-z makes its tables from capture files: gredump -r FILE -q -z conv,ip');
  return specs.map((spec): StatisticsSpec => {
    if (spec === PROTOCOL_HIERARCHY || spec.startsWith(`${PROTOCOL_HIERARCHY},`))
      return { kind: 'phs', filter: spec.slice(PROTOCOL_HIERARCHY.length + 1) || null };
    if (spec === IO_STAT || spec.startsWith(`${IO_STAT},`)) return ioStat(spec);
    if (spec === FOLLOW || spec.startsWith(`${FOLLOW},`)) return { kind: 'follow', follow: follow(spec) };
    const srt = /^icmp(v6)?,srt(?:,(.*))?$/s.exec(spec);
    if (srt) return { kind: 'srt', version: srt[1] ? 6 : 4, filter: srt[2] || null };
    const tree = /^([a-z0-9_]+),tree(?:,(.*))?$/s.exec(spec);
    if (tree && STATS_TREES.includes(tree[1] as StatsTreeName))
      return { kind: 'tree', tree: tree[1] as StatsTreeName, filter: tree[2] || null };
    const [kind, type, ...filter] = spec.split(',');
    if (!STATISTICS_KINDS.includes(kind as StatisticsKind) || !type || !Object.hasOwn(CONVERSATION_TITLES, type))
      throw new UsageError(
        `-z takes conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE one of ` +
          `${Object.keys(CONVERSATION_TITLES).join(', ')}), ${PROTOCOL_HIERARCHY}[,FILTER], ` +
          `${STATS_TREES.join('|')},tree[,FILTER], icmp|icmpv6,srt[,FILTER], ${IO_STAT},INTERVAL[,COLUMN]... or ` +
          `${FOLLOW_USAGE}, ` +
          `not "${spec}"`,
      );
    return {
      kind: kind as StatisticsKind,
      type: type as ConversationType,
      filter: filter.length > 0 ? filter.join(',') : null,
    };
  });
}

/**
 * `io,stat,INTERVAL[,COLUMN]...` as tshark reads it: the interval in seconds to the microsecond (0: the whole
 * capture), shown with as many decimals as it has (`1.50` as 1.5; `1.0` as 1.0); its columns are read with the
 * fields (read.ts).
 */
function ioStat(spec: string): StatisticsSpec {
  const m = /^io,stat,(\d+(?:\.\d*)?|\.\d+)(?:,(.*))?$/s.exec(spec);
  if (!m || spec.endsWith(','))
    throw new UsageError(
      `-z ${IO_STAT},INTERVAL[,COLUMN]...: INTERVAL is seconds (1, 0.01; 0 for the whole capture), ` +
        `and a column is a filter or FRAMES(), BYTES(), COUNT(FIELD), SUM, MIN, MAX or AVG, not "${spec}"`,
    );
  const [, seconds, columns] = m as unknown as [string, string, string | undefined];
  if (Number(seconds) === 0)
    return { kind: 'io-stat', spec, interval: { us: 0, precision: 0 }, columns: columns ?? '' };
  const us = Math.floor(Number(seconds) * 1e6 + 0.5);
  if (us < 1)
    throw new UsageError(
      `-z ${IO_STAT}: the interval is at least 0.000001 seconds (0: the whole capture), not ${seconds}`,
    );
  let precision = 6;
  for (let unit = 10; unit < 1e7 && us % unit === 0; unit *= 10) precision--;
  // A whole number of seconds written with decimals (1.0) keeps them in the table, as tshark's.
  const decimals = seconds.includes('.') ? seconds.length - seconds.indexOf('.') - 1 : 0;
  if (precision === 0 && decimals > 0) precision = Math.min(decimals, 6);
  return { kind: 'io-stat', spec, interval: { us, precision }, columns: columns ?? '' };
}

const FOLLOW_USAGE = `${FOLLOW},tcp|udp,${FOLLOW_MODES.join('|')},STREAM[,RANGE]`;

/**
 * `follow,tcp|udp,MODE,STREAM[,RANGE]` as tshark reads it: STREAM is a stream's index (tcp.stream) or its two ends,
 * `ADDR:PORT,ADDR:PORT` (an IPv6 address in brackets); RANGE the chunks printed, `N` or `N-M`. The stream becomes
 * tshark's display filter for it, which its table prints.
 */
function follow(spec: string): FollowSpec {
  const refuse = (why: string) => new UsageError(`-z ${FOLLOW_USAGE}: ${why}, not "${spec}"`);
  const m = /^follow,([^,]*),([^,]*),(.*)$/s.exec(spec);
  if (!m) throw refuse("STREAM is tcp.stream's number or ADDR:PORT,ADDR:PORT");
  const [, proto, mode, rest] = m as unknown as [string, 'tcp' | 'udp', string, string];
  if (proto !== 'tcp' && proto !== 'udp')
    throw refuse('gredump follows tcp and udp (it decrypts no TLS, reads no HTTP)');
  if (mode === 'ebcdic') throw refuse('ebcdic is not written here (IBM mainframe text): ascii, hex, raw or yaml');
  if (!FOLLOW_MODES.includes(mode as FollowMode)) throw refuse(`MODE is ${FOLLOW_MODES.join(', ')}`);
  let filter: string;
  let range: string | undefined;
  const index = /^(\d+)(?:,(.*))?$/s.exec(rest);
  const ends = /^(\[[^\]]*\]|[^:,[\]]+):(\d+),(\[[^\]]*\]|[^:,[\]]+):(\d+)(?:,(.*))?$/s.exec(rest);
  if (index) {
    filter = `${proto}.stream eq ${Number(index[1])}`;
    range = index[2];
  } else if (ends) {
    const [a, b] = [ends[1]!, ends[3]!].map((text) => {
      const v6 = text.startsWith('[');
      const bytes = v6 ? parseIpv6(text.slice(1, -1)) : parseIp(text);
      if (bytes === null) throw refuse(`"${text}" is no IPv4 address (nor an IPv6 one in brackets)`);
      return { v6, text: v6 ? ipv6(bytes, 0) : ipv4(bytes, 0) };
    }) as [{ v6: boolean; text: string }, { v6: boolean; text: string }];
    const [pa, pb] = [Number(ends[2]), Number(ends[4])];
    if (pa < 1 || pa > 65535 || pb < 1 || pb > 65535) throw refuse('a port is 1 to 65535');
    if (a.v6 !== b.v6) throw refuse('the two ends are both IPv4 or both IPv6');
    const ip = a.v6 ? 'ipv6' : 'ip';
    const way = (x: string, px: number, y: string, py: number) =>
      `((${ip}.src eq ${x} and ${proto}.srcport eq ${px}) and (${ip}.dst eq ${y} and ${proto}.dstport eq ${py}))`;
    filter = `${way(a.text, pa, b.text, pb)} or ${way(b.text, pb, a.text, pa)}`;
    range = ends[5];
  } else throw refuse("STREAM is tcp.stream's number or ADDR:PORT,ADDR:PORT");
  if (range === undefined) return { proto, mode: mode as FollowMode, filter, first: 1, last: Number.MAX_SAFE_INTEGER };
  const r = /^(\d+)(?:-(\d+))?$/.exec(range);
  const first = Number(r?.[1]);
  const last = r?.[2] === undefined ? first : Number(r[2]);
  if (!r || first < 1 || first > last) throw refuse('RANGE is N or N-M, chunks from 1');
  return { proto, mode: mode as FollowMode, filter, first, last };
}

function positive(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} wants a positive whole number, not "${text}"`);
  return n;
}

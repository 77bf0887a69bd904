import type { AuditReport } from './report.js';
import { CATALOGUE, type Severity } from './catalogue.js';
import { sizeText } from '../util/size.js';
import { PROTECTION_COLOUR, SEVERITY_COLOUR } from './colours.js';
import type { Protection } from '../tunnels/tunnel.js';
import { dmvpnText } from './report-dmvpn.js';
import { spisText } from './ike-rules.js';
import { spiText } from '../dissect/addr.js';
import { ospfAuthName } from '../dissect/ospf.js';
import { isisAuthName } from '../dissect/isis.js';
import { keyText, type TunnelKind } from '../tunnels/tunnel.js';
import { DISCOVERY, DISCOVERY_PROTOCOLS } from '../tunnels/routing.js';

interface KeepaliveSenderRecord {
  from: string;
  probes: number;
  intervalSec: number | null;
  answered: number;
  rttMs: number | null;
  repliesWithoutProbe: number;
}

/** "203.0.113.1 sends keepalives every 10 s, 3 of 3 answered (RTT 0.8 ms); 192.0.2.2 sends none". */
function keepaliveStatement(senders: KeepaliveSenderRecord[]): string {
  // Those that probe first: a reflector is said after the sender it answers.
  return [...senders]
    .sort((a, b) => Number(b.probes > 0) - Number(a.probes > 0))
    .map((k) => {
      if (k.probes === 0) {
        return k.repliesWithoutProbe > 0
          ? `${k.from} sends none seen (${k.repliesWithoutProbe} replies to its probes, the probes not captured)`
          : `${k.from} sends none`;
      }
      const every = k.intervalSec !== null ? ` every ${k.intervalSec} s` : '';
      const rtt = k.rttMs !== null ? ` (RTT ${k.rttMs} ms)` : '';
      return `${k.from} sends keepalives${every}, ${k.answered} of ${k.probes} answered${rtt}`;
    })
    .join('; ');
}

interface SessionRecord {
  peers: string[];
  packets: number;
  as: Record<string, number>;
  authentication: string;
}

interface SaRecord {
  spi: number;
  protocol: string;
  src: string;
  dst: string;
  packets: number;
  protection: string;
  mode: string;
  /** 'ike' when the mode was negotiated in IKE, not read from the packets. */
  modeFrom?: string;
  senders: number;
  group?: boolean;
  decrypted: number;
  notDecrypted: number;
  ospfv3?: { routerId: string }[];
}
import { visible, visibleStrings } from '../output/escape.js';
import { plural } from '../util/words.js';

type Paint = ((text: string) => string) & { bold: (text: string) => string };

/** The styles the report paints with: chalk's (a ChalkInstance is one), loaded only for a terminal. */
export interface Palette {
  bold: Paint;
  dim: Paint;
  gray: Paint;
  red: Paint;
  yellow: Paint;
  green: Paint;
  cyan: Paint;
}

const unpainted: Paint = Object.assign((text: string) => text, { bold: (text: string) => text });
/** No colour: every style leaves the text as it is, as chalk does at level 0. */
const PLAIN: Palette = {
  bold: unpainted,
  dim: unpainted,
  gray: unpainted,
  red: unpainted,
  yellow: unpainted,
  green: unpainted,
  cyan: unpainted,
};

/**
 * The audit for a person: a terminal or a ticket. Colours only on a
 * terminal; every badge reads without them too.
 */
export function reportText(report: AuditReport, opts: { palette: Palette | null; files: string[] }): string {
  // Its texts as a terminal may show them: a merged partial's come from a file, past any dissector's escaping.
  const r = visibleStrings(report);
  const c = opts.palette ?? PLAIN;
  const color = opts.palette !== null;
  const badge = (p: string) => {
    const colour = PROTECTION_COLOUR[p as Protection] ?? 'gray';
    return colour === 'gray' ? c.gray(p.toUpperCase()) : c[colour].bold(p.toUpperCase());
  };
  const sev = (s: Severity) => {
    const text = s.toUpperCase().padEnd(6);
    return s === 'high' ? c[SEVERITY_COLOUR[s]].bold(text) : c[SEVERITY_COLOUR[s]](text);
  };
  const out: string[] = [];
  const span = r.firstSeen === null ? 'no packets' : `${when(r.firstSeen)} to ${when(r.lastSeen!)}`;
  out.push(
    c.bold(`gredump audit of ${opts.files.length === 1 ? visible(opts.files[0]!) : `${opts.files.length} files`}`),
  );
  out.push(
    `${plural(r.packets, 'packet')}, ${sizeText(r.bytes)}, ${span}${
      r.malformed
        ? `, ${r.malformed} malformed (${Object.entries(r.malformedReasons)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : ''
    }`,
  );
  if (r.limits)
    out.push(
      c.yellow(
        `limits reached: ${Object.entries(r.limits)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} (see gredump --help)`,
      ),
    );
  out.push('');

  out.push(c.bold(`TUNNELS (${r.tunnels.length})`));
  if (r.tunnels.length === 0)
    out.push('  none: no GRE, ERSPAN, PPTP, GRE-in-UDP, VXLAN, Geneve, IP-in-IP or L2TP traffic in this capture');
  // A DMVPN cloud's GRE pairs are one multipoint tunnel: each names its cloud.
  const cloudOf = new Map<unknown, string>();
  for (const c of r.dmvpn ?? []) for (const id of c.tunnels) cloudOf.set(id, c.cloud);
  for (const t of r.tunnels) {
    const key = keyText(t.kind as TunnelKind, t.key as number | null);
    const cloud = cloudOf.get(t.id);
    const eps = t.endpoints as string[];
    const seen = Number.isFinite(t.firstSeen)
      ? `${when(t.firstSeen as number)} to ${when(t.lastSeen as number)}`
      : 'known only from ICMP errors quoting it';
    const m = t.multicastDistribution as { source: string; group: string } | undefined;
    const ends = m ? `${m.source} -> group ${m.group}` : `${eps[0]} <-> ${eps[1]}`;
    const versions = t.ipip ? ` ${(t.ipip as string[]).join(', ')}` : '';
    out.push(
      `  ${badge(t.protection as string).padEnd(color ? 26 : 14)} ${t.kind} ${ends}` +
        `${key}${versions} (${t.role}${cloud ? `, DMVPN ${cloud}` : ''})`,
    );
    out.push(
      `      ${plural(t.packets as number, 'packet')}, ${sizeText(t.bytes as number)}, ${seen}` +
        `${t.readThrough ? `, read through ${t.readThrough}` : ''}` +
        `${t.nestedIn ? `, nested in tunnel ${(t.nestedIn as number[]).join(', ')}` : ''}`,
    );
    // A distribution tree has one sender and no way back: only directions that carried packets are said.
    const dirs = (t.directions as { from: string; to: string; packets: number; seqMissing: number }[]).filter(
      (d) => !m || d.packets > 0,
    );
    out.push(
      '      ' +
        dirs
          .map((d) => `${d.from} -> ${d.to}: ${d.packets}${d.seqMissing ? ` (${d.seqMissing} missing)` : ''}`)
          .join(';  '),
    );
    const inner = Object.entries(t.inner as Record<string, number>).sort((a, b) => b[1] - a[1]);
    if (inner.length) out.push(`      carries: ${inner.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const g of t.groups as { group: string; protocols: Record<string, number>; packets: number }[]) {
      out.push(
        `      multicast ${g.group}: ${Object.entries(g.protocols)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    }
    const routing = t.routing as
      | {
          ospf?: {
            routerId: string;
            version: number;
            area: string;
            authType: number;
            helloInterval?: number;
            deadInterval?: number;
            interfaceMtu?: number;
          }[];
          rip?: { versions: number[]; routes: string[] };
          eigrp?: { as: number[] };
          pim?: { neighbors: string[] };
          cdp?: { devices: string[] };
          lldp?: { devices: string[] };
        }
      | undefined;
    for (const o of routing?.ospf ?? []) {
      const timers = o.helloInterval !== undefined ? ` hello ${o.helloInterval}s dead ${o.deadInterval}s` : '';
      out.push(
        `      OSPFv${o.version} router ${o.routerId} area ${o.area}${timers}` +
          `${o.version === 2 ? ` auth ${ospfAuthName(o.authType)}` : o.authType ? ' auth trailer' : ''}` +
          `${o.interfaceMtu !== undefined ? ` mtu ${o.interfaceMtu}` : ''}${t.role === 'mirror' ? ' (mirrored)' : ''}`,
      );
    }
    if (routing?.rip)
      out.push(
        `      RIP${routing.rip.versions.map((v) => `v${v}`).join('/')}: ${routing.rip.routes.length} routes announced`,
      );
    if (routing?.eigrp) out.push(`      EIGRP AS ${routing.eigrp.as.join(', ')}`);
    if (routing?.pim) out.push(`      PIM neighbours ${routing.pim.neighbors.join(', ')}`);
    // The devices CDP and LLDP announced (device and port), a mirror's as seen in what it mirrors.
    for (const protocol of DISCOVERY_PROTOCOLS) {
      const devices = routing?.[protocol]?.devices;
      if (devices?.length)
        out.push(
          `      ${DISCOVERY[protocol].devices} ${devices.join(', ')}${t.role === 'mirror' ? ' (mirrored)' : ''}`,
        );
    }
    const more = t.routing as
      | {
          isis?: {
            systemId: string;
            levels: number[];
            helloIntervalSec: number | null;
            authTypes: number[];
            unauthenticated: number;
          }[];
          bgp?: SessionRecord[];
          ldp?: SessionRecord[];
          bfd?: { packets: number; authenticated: number };
        }
      | undefined;
    for (const s of more?.isis ?? []) {
      const auth =
        s.unauthenticated === 0
          ? `authenticated (${s.authTypes.map(isisAuthName).join(', ')})`
          : s.authTypes.length
            ? `authentication on some PDUs only (${s.authTypes.map(isisAuthName).join(', ')})`
            : 'no authentication';
      out.push(
        `      IS-IS system ${s.systemId} ${s.levels.map((l) => `L${l}`).join('/')}` +
          `${s.helloIntervalSec !== null ? ` hello every ${s.helloIntervalSec}s` : ''} ${auth}`,
      );
    }
    for (const [name, list] of [
      ['BGP', more?.bgp],
      ['LDP', more?.ldp],
    ] as const) {
      for (const s of list ?? [])
        out.push(
          `      ${name} ` +
            `${s.peers.map((p) => (s.as[p] !== undefined ? `${p} (AS ${s.as[p]})` : p)).join(' - ')}: ` +
            `${plural(s.packets, 'segment')}, authentication ${s.authentication}`,
        );
    }
    if (more?.bfd)
      out.push(
        `      BFD ${plural(more.bfd.packets, 'packet')}, ` +
          `${more.bfd.authenticated ? `${more.bfd.authenticated} authenticated` : 'no authentication'}`,
      );
    const ka = t.keepalives as { count: number; senders: KeepaliveSenderRecord[] } | undefined;
    if (ka) out.push(`      keepalives: ${keepaliveStatement(ka.senders)}`);
  }
  out.push('');

  if (r.dmvpn) out.push(...dmvpnText(r.dmvpn, badge, color).map((line, i) => (i === 0 ? c.bold(line) : line)), '');

  out.push(c.bold(`IPSEC (${r.esp.length})`));
  if (r.esp.length === 0) out.push('  none');
  for (const p of r.esp) {
    const eps = p.endpoints as string[];
    const spis = (p.spis as number[]).map(spiText);
    const ah = p.ah as { packets: number; sas: SaRecord[] } | undefined;
    const ike = p.ike as { packets: number; versions: string[] } | undefined;
    out.push(
      `  ${badge(p.protection as string).padEnd(color ? 26 : 14)} ${eps[0]} <-> ` +
        `${eps[1]}${p.mode ? ` (${p.mode} mode)` : ''}`,
    );
    const parts: string[] = [];
    if ((p.packets as number) > 0)
      parts.push(`${plural(p.packets as number, 'ESP packet')}${p.natT ? ' in UDP 4500 (NAT-T)' : ''}`);
    if (spis.length) parts.push(`SPIs ${spis.join(', ')}`);
    const sas = p.sas as SaRecord[];
    const decrypted = sas.reduce((n, sa) => n + sa.decrypted, 0);
    const failed = sas.reduce((n, sa) => n + sa.notDecrypted, 0);
    if (decrypted || failed) parts.push(`${decrypted} decrypted${failed ? `, ${failed} would not decrypt` : ''}`);
    if (ah) parts.push(`${plural(ah.packets, 'AH packet')}`);
    if (ike) parts.push(`IKEv${ike.versions.join('/')} ${plural(ike.packets, 'packet')}`);
    out.push(`      ${parts.join(', ')}`);
    // Each SA keeps its own protection and mode: the pair above shows the worst.
    for (const sa of [...sas, ...(ah?.sas ?? [])]) {
      const notes = [
        sa.mode === 'unknown'
          ? 'mode unknown'
          : `${sa.mode} mode${sa.modeFrom === 'ike' ? ' (negotiated in IKE)' : ''}`,
      ];
      if (sa.group) notes.push('group SA: per-sender counters');
      if (sa.ospfv3?.length) notes.push(`OSPFv3 routers ${sa.ospfv3.map((o) => o.routerId).join(', ')}`);
      out.push(
        `      ${sa.protocol.toUpperCase()} ${spiText(sa.spi)} ${sa.src} -> ${sa.dst}` +
          `${sa.senders > 1 ? ' (both ways)' : ''}: ${plural(sa.packets, 'packet')}, ${sa.protection}, ` +
          `${notes.join(', ')}`,
      );
    }
    if (p.ikeSas) out.push(...ikeStory(p.ikeSas as Record<string, unknown>[]));
  }
  for (const p of r.ike) {
    // A reflector's answers are said once for all of them, below.
    if (p.sas && (p.sas as Record<string, unknown>[]).every((sa) => sa.reflected)) continue;
    const eps = (p.endpoints as string[]).join(' <-> ');
    if (p.gdoi)
      out.push(
        `  ${p.packets ? 'IKE and GDOI' : 'GDOI'} only ${eps}: ` +
          [
            p.packets ? `IKE ${plural(p.packets as number, 'packet')}` : '',
            `GDOI (group keys) ${plural(p.gdoi as number, 'packet')}`,
          ]
            .filter(Boolean)
            .join(', ') +
          ', no ESP seen',
      );
    else out.push(`  IKE only ${eps}: ${plural(p.packets as number, 'packet')}, no ESP seen`);
    if (p.sas) out.push(...ikeStory(p.sas as Record<string, unknown>[]));
  }
  for (const x of r.ikeReflections ?? [])
    out.push(
      `  IKE reflection towards ${x.target}: ${plural(x.answers as number, 'answer')} from ` +
        `${plural(x.responders as number, 'host')} to ${spisText(x.initiatorSpis as string[], x.spis as number)}, ` +
        'no request in this capture (each pair in --json, its SAs "reflected")',
    );
  out.push('');

  out.push(c.bold(`FINDINGS (${r.findings.length})`));
  if (r.findings.length === 0) out.push('  none');
  // Findings come worst first; each kind's advice is said once, after its cases.
  const byId = new Map<string, typeof r.findings>();
  for (const f of r.findings) {
    // Appended in place: copying the group for each finding made 100k findings quadratic.
    const group = byId.get(f.id);
    if (group) group.push(f);
    else byId.set(f.id, [f]);
  }
  for (const [id, group] of byId) {
    out.push(`  ${sev(group[0]!.severity)} ${c.bold(id)}: ${CATALOGUE[group[0]!.id].title}`);
    for (const f of group) out.push(`         - ${f.message}`);
    out.push(`         ${c.dim(`what to do: ${group[0]!.advice}`)}`);
  }
  return out.join('\n');
}

function when(ts: number): string {
  // A tunnel known only from an ICMP error quoting it has no packet of its own, so no time.
  if (!Number.isFinite(ts) || Math.abs(ts) > 8.64e12) return 'no time';
  return new Date(ts * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/**
 * Each IKE SA of a pair: its state and why, what was offered and chosen, its child SAs, then the exchange as it went.
 */
function ikeStory(sas: Record<string, unknown>[]): string[] {
  const out: string[] = [];
  for (const sa of sas) {
    out.push(
      `      IKEv${sa.version} SA ${sa.initiatorSpi} ${sa.initiator} -> ${sa.responder}: ` +
        `${sa.state} (${sa.why})${sa.aggressive ? ', aggressive mode' : ''}`,
    );
    if (sa.chosen) out.push(`        chosen: ${sa.chosen}`);
    else if ((sa.offered as string[]).length) out.push(`        offered: ${(sa.offered as string[]).join(' ; ')}`);
    for (const c of (sa.children as Record<string, unknown>[] | undefined) ?? []) {
      const spis = [c.initiatorSpi, c.responderSpi].filter(Boolean).join(' / ');
      const outcome = c.error
        ? `refused: ${c.error}`
        : c.responderSpi
          ? `${c.mode} mode, ESP ${spis} (${plural(c.espPackets as number, 'packet')} seen)`
          : c.answer === 'encrypted'
            ? 'answered, the answer encrypted (no keys for its sender)'
            : 'no answer seen';
      out.push(
        `        child SA (${c.exchange}` +
          `${c.transportRequested ? ', transport mode asked' : ''}` +
          `${c.rekeys ? `, rekeys ${c.rekeys}` : ''}): ${outcome}`,
      );
    }
    for (const line of sa.story as string[]) out.push(`        . ${line}`);
  }
  return out;
}

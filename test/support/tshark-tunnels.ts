import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openCapture } from '../../src/capture/open.js';
import { Engine } from '../../src/dissect/engine.js';
import { TunnelTable } from '../../src/tunnels/table.js';
import { l2tpv2SessionId, l2tpv2TunnelId } from '../../src/tunnels/tunnel.js';

const run = promisify(execFile);
/** _ws.expert.severity of an error (PI_ERROR). */
const EXPERT_ERROR = '8388608';
const ICMP_ERRORS = new Set(['3', '4', '5', '11', '12']);
const ICMPV6_ERRORS = new Set(['1', '2', '3', '4']);

export interface Identities {
  gre: Set<string>;
  esp: Set<string>;
}

const pair = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Tunnel and ESP identities as tshark sees them: from PDML, whose layers
 * keep their order, each GRE header is paired with the IP header before it.
 * Packets quoted inside ICMP errors are left out, as the audit leaves them.
 */
export async function tsharkIdentities(path: string): Promise<Identities> {
  // Every protocol that can sit between two IP headers is asked for, so that IP right after IP is IP in IP.
  const { stdout } = await run(
    'tshark',
    [
      '-n',
      '-r',
      path,
      '-o',
      'esp.enable_null_encryption_decode_heuristic:TRUE',
      '-T',
      'pdml',
      '-J',
      'ip ipv6 gre esp ah icmp icmpv6 udp tcp pim mpls vxlan geneve l2tp _ws.malformed _ws.expert',
    ],
    { maxBuffer: 1024 * 1024 * 1024 },
  );
  const out: Identities = { gre: new Set(), esp: new Set() };
  for (const packet of stdout.split('<packet>').slice(1)) {
    let src = '';
    let dst = '';
    let proto = '';
    let gre: { version: string; key: string | null } | null = null;
    // An L2TPv2 data message's type bit and tunnel ID, read before its session ID.
    let l2tpData = false;
    let l2tpTunnel = '';
    // IP in IP seen in this packet: an inner IP header tshark finds in error (a bogus length) or a
    // malformed packet after it is where the two dissections part, and is not counted.
    const ipip: string[] = [];
    let inInner = false;
    const flush = () => {
      if (proto === 'gre' && gre && src) out.gre.add(`${pair(src, dst)}|${gre.key}`);
      gre = null;
    };
    for (const line of packet.split('\n')) {
      const p = /<proto name="([^"]+)"/.exec(line);
      if (p) {
        // IPv6 extension headers are parts of IPv6, not layers between two IP headers.
        if (p[1]!.startsWith('ipv6.')) continue;
        if (p[1] === '_ws.malformed') ipip.pop();
        flush();
        inInner = (p[1] === 'ip' || p[1] === 'ipv6') && (proto === 'ip' || proto === 'ipv6') && src !== '';
        if (inInner) ipip.push(`${pair(src, dst)}|ipip`);
        proto = p[1]!;
        if (proto === 'gre') gre = { version: '0', key: null };
        continue;
      }
      const f = /<field name="([^"]+)"[^>]* show="([^"]*)"/.exec(line);
      if (!f) continue;
      const [, name, show] = f;
      // An expert error (a bogus length...) is where tshark's dissection and ours part ways: no IP in IP is counted
      // there.
      if (name === '_ws.expert.severity' && show === EXPERT_ERROR && inInner) {
        ipip.pop();
        inInner = false;
      }
      if (name === 'ip.src' || name === 'ipv6.src') src = show!;
      else if (name === 'ip.dst' || name === 'ipv6.dst') dst = show!;
      else if (name === 'gre.flags.version' && gre) gre.version = show!;
      // A key where tshark reads one (any version but PPTP's header); a call ID makes a PPTP tunnel of version 1 only
      // (PPP in a header of another version is a keyless GRE tunnel here, and flagged).
      else if (name === 'gre.key' && gre) gre.key = String(Number(show));
      else if (name === 'gre.key.call_id' && gre && gre.version === '1') gre.key = show!;
      else if (name === 'vxlan.vni' && proto === 'vxlan') out.gre.add(`${pair(src, dst)}|vni ${Number(show)}`);
      else if (name === 'l2tp.sid' && proto === 'l2tp' && Number(show) !== 0)
        out.gre.add(`${pair(src, dst)}|l2tpv3 ${Number(show)}`);
      else if (name === 'l2tp.type' && proto === 'l2tp') l2tpData = show === '0';
      else if (name === 'l2tp.tunnel' && proto === 'l2tp') l2tpTunnel = show!;
      else if (name === 'l2tp.session' && proto === 'l2tp' && l2tpData)
        out.gre.add(`${pair(src, dst)}|l2tpv2 ${l2tpTunnel}/${show}`);
      else if (name === 'geneve.vni' && proto === 'geneve') out.gre.add(`${pair(src, dst)}|geneve ${Number(show)}`);
      else if (name === 'esp.spi' && proto === 'esp') out.esp.add(`${pair(src, dst)}|${Number(show)}`);
      else if (
        (name === 'icmp.type' && ICMP_ERRORS.has(show!)) ||
        (name === 'icmpv6.type' && ICMPV6_ERRORS.has(show!))
      ) {
        flush();
        break;
      }
    }
    flush();
    for (const id of ipip) out.gre.add(id);
  }
  return out;
}

/** The same identities from gredump's tunnel table. */
export function ourIdentities(path: string): Identities {
  const engine = new Engine();
  const table = new TunnelTable();
  const source = openCapture(path);
  try {
    while (source.next()) table.observe(engine.dissect(source.frame));
  } finally {
    source.close();
  }
  const out: Identities = { gre: new Set(), esp: new Set() };
  for (const t of table.tunnels.values()) {
    const id =
      t.kind === 'vxlan'
        ? `vni ${t.key}`
        : t.kind === 'geneve'
          ? `geneve ${t.key}`
          : t.kind === 'l2tpv3'
            ? `l2tpv3 ${t.key}`
            : t.kind === 'l2tpv2'
              ? `l2tpv2 ${l2tpv2TunnelId(t.key!)}/${l2tpv2SessionId(t.key!)}`
              : t.kind === 'ipip'
                ? 'ipip'
                : `${t.key}`;
    out.gre.add(`${t.endpoints[0]}|${t.endpoints[1]}|${id}`);
  }
  for (const p of table.esp.values())
    for (const spi of p.sas.keys()) out.esp.add(`${p.endpoints[0]}|${p.endpoints[1]}|${spi}`);
  return out;
}

export function setDiff(a: Set<string>, b: Set<string>): { onlyTshark: string[]; onlyOurs: string[] } {
  return { onlyTshark: [...a].filter((x) => !b.has(x)).sort(), onlyOurs: [...b].filter((x) => !a.has(x)).sort() };
}

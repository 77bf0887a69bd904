import type { Layer } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { SNMP_V3, snmpCommunity, snmpVersion } from '../dissect/snmp.js';
import { tcpDstPort, tcpSrcPort } from '../dissect/tcp.js';
import { udpDstPort, udpSrcPort } from '../dissect/udp.js';
import { addressText } from './addresses.js';
import { PER_TUNNEL, type Overflow } from './limits.js';
import { eachWithin, read, StateError, type FieldCoverage, type Plain } from './state.js';
import { visible } from '../output/escape.js';

/**
 * Credentials and cleartext management protocols seen inside a tunnel whose
 * payload travels readable. Secrets are never kept: only their first
 * character and length, to show that they were there.
 */
export interface CleartextSighting {
  protocol: 'telnet' | 'ftp' | 'http' | 'snmp' | 'pop3' | 'imap';
  client: string;
  server: string;
  /** What crossed: a password, a community string, basic authentication; or only a session. */
  what: 'password' | 'community' | 'basic-auth' | 'session';
  masked?: string;
  packets: number;
}

const PROTOCOLS = ['telnet', 'ftp', 'http', 'snmp', 'pop3', 'imap'] as const;
const PORTS: Record<number, CleartextSighting['protocol']> = {
  23: 'telnet',
  21: 'ftp',
  80: 'http',
  8080: 'http',
  110: 'pop3',
  143: 'imap',
  161: 'snmp',
  162: 'snmp',
};
/** The same ports as a bitmap: every inner TCP and UDP packet is checked against it. */
const WATCHED = new Uint8Array(65536);
for (const port of Object.keys(PORTS)) WATCHED[Number(port)] = 1;
const decoder = new TextDecoder('latin1');
const portFrom = (l: Layer): number => (l.proto === P.tcp ? tcpSrcPort(l) : udpSrcPort(l));
const portTo = (l: Layer): number => (l.proto === P.tcp ? tcpDstPort(l) : udpDstPort(l));
/** The payload as text, at most its first 512 bytes: made only where a check reads it. */
const payloadText = (l: Layer): string => decoder.decode(l.buf.subarray(l.hdrEnd, Math.min(l.end, l.hdrEnd + 512)));

/**
 * Whether a TCP or UDP layer is to or from a watched port: checked before a tunnel's watch is made (most tunnels never
 * need one).
 */
export function watched(l: Layer): boolean {
  return WATCHED[portFrom(l)] === 1 || WATCHED[portTo(l)] === 1;
}

export function mask(secret: string): string {
  // The first character escaped: a control character (ESC, BS, CR, a C1 CSI) there could erase the mask on a terminal.
  return secret.length === 0
    ? ''
    : `${visible(secret[0]!)}${'*'.repeat(Math.min(secret.length - 1, 8))} (${secret.length} chars)`;
}

/** The user:password that Basic authentication's token encodes (RFC 7617), or the token if it encodes none. */
function basicCredential(token: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return token;
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  return decoded.includes(':') ? decoded : token;
}

export class CleartextWatch {
  readonly sightings = new Map<string, CleartextSighting>();
  /** Telnet flows where the server just asked for a password: the client's next line is it. */
  private readonly awaitingPassword = new Set<string>();
  /**
   * Telnet flows by what came first in this watch: the client's first line
   * (masked) when it came before any password prompt, null when a prompt came
   * first. A watch over an earlier part of the capture that ends awaiting a
   * password takes that first line as the password when merged (absorb).
   */
  private readonly opening = new Map<string, string | null>();
  /**
   * The flow of the last packet (client and server, whichever way it went)
   * and its sighting: a flow comes packet after packet, and its key (text)
   * is made and looked up only when the flow changes. Addresses are
   * compared as the text cache gives them (addr.ts).
   */
  private readonly last = {
    client: '',
    clientPort: -1,
    server: '',
    serverPort: -1,
    key: '',
    sighting: null as CleartextSighting | null,
  };

  constructor(private readonly overflow: Overflow) {}

  /** A TCP or UDP layer (not quoted) on a watched port (see `watched`) and the network layer that carries it. */
  observe(l: Layer, net: Layer): void {
    const srcPort = portFrom(l);
    const dstPort = portTo(l);
    const serverIsDst = PORTS[dstPort] !== undefined;
    const protocol = PORTS[dstPort] ?? PORTS[srcPort];
    if (!protocol) return;
    // SNMPv3 has no community, and its PDU is encrypted where privacy is on: not the cleartext management of v1/v2c.
    if (protocol === 'snmp' && snmpVersion(l) === SNMP_V3) return;
    const src = addressText(net, 'src');
    const dst = addressText(net, 'dst');
    const clientAt = serverIsDst ? src : dst;
    const clientPort = serverIsDst ? srcPort : dstPort;
    const serverAt = serverIsDst ? dst : src;
    const serverPort = serverIsDst ? dstPort : srcPort;
    const last = this.last;
    let s = last.sighting;
    if (
      s === null ||
      clientAt !== last.client ||
      clientPort !== last.clientPort ||
      serverAt !== last.server ||
      serverPort !== last.serverPort
    ) {
      const client = `${clientAt}:${clientPort}`;
      const server = `${serverAt}:${serverPort}`;
      const key = `${protocol} ${client} ${server}`;
      s = this.sightings.get(key) ?? null;
      if (s === null) {
        if (!this.overflow.room(this.sightings.size, PER_TUNNEL.cleartextFlows, 'cleartext flows')) return;
        s = { protocol, client, server, what: 'session', packets: 0 };
        this.sightings.set(key, s);
      }
      last.client = clientAt;
      last.clientPort = clientPort;
      last.server = serverAt;
      last.serverPort = serverPort;
      last.key = key;
      last.sighting = s;
    }
    const key = last.key;
    s.packets++;
    if (l.end - l.hdrEnd <= 0) return;
    switch (protocol) {
      case 'telnet': {
        if (!serverIsDst) {
          if (/password:?\s*$/i.test(payloadText(l))) {
            if (!this.opening.has(key)) this.opening.set(key, null);
            this.awaitingPassword.add(key);
          }
          break;
        }
        // The client's line, read once where either check wants it.
        if (this.opening.has(key) && !this.awaitingPassword.has(key)) break;
        const line = payloadText(l).replace(/[\r\n]+$/, '');
        if (!this.opening.has(key)) this.opening.set(key, mask(line));
        if (this.awaitingPassword.has(key)) {
          this.awaitingPassword.delete(key);
          this.found(s, 'password', line);
        }
        break;
      }
      case 'ftp':
      case 'pop3': {
        const m = serverIsDst ? /^PASS (.*?)\r?\n/i.exec(payloadText(l)) : null;
        if (m) this.found(s, 'password', m[1]!);
        break;
      }
      case 'imap': {
        const m = serverIsDst ? /^\S+ LOGIN \S+ (\S+)/i.exec(payloadText(l)) : null;
        if (m) this.found(s, 'password', m[1]!);
        break;
      }
      case 'http': {
        const m = serverIsDst ? /\r\nAuthorization: Basic (\S+)/i.exec(payloadText(l)) : null;
        if (m) this.found(s, 'basic-auth', basicCredential(m[1]!));
        break;
      }
      case 'snmp': {
        const community = snmpCommunity(l);
        if (community !== null) this.found(s, 'community', community);
        break;
      }
    }
  }

  /** Takes in what a later part of the capture saw (see TunnelTable.absorb). */
  absorb(later: CleartextWatch): void {
    for (const [key, s] of later.sightings) {
      const mine = this.sightings.get(key);
      if (!mine) {
        if (this.overflow.room(this.sightings.size, PER_TUNNEL.cleartextFlows, 'cleartext flows'))
          this.sightings.set(key, { ...s });
        continue;
      }
      mine.packets += s.packets;
      // A prompt at the end of this part, the client's first line at the start of the later one.
      const first = later.opening.get(key);
      if (typeof first === 'string' && this.awaitingPassword.has(key)) {
        mine.what = 'password';
        mine.masked = first;
      }
      if (s.what !== 'session') {
        mine.what = s.what;
        mine.masked = s.masked;
      }
    }
    // Where the later part saw a prompt or a client line, its end state is the state.
    for (const [key, first] of later.opening) {
      if (later.awaitingPassword.has(key)) this.awaitingPassword.add(key);
      else this.awaitingPassword.delete(key);
      if (!this.opening.has(key)) this.opening.set(key, first);
    }
  }

  static readonly fields: FieldCoverage = {
    state: ['sightings', 'awaitingPassword', 'opening'],
    caches: ['overflow', 'last'],
  };

  toState(): Plain {
    return {
      sightings: [...this.sightings.values()].map((s) => {
        const o: Record<string, Plain> = {
          protocol: s.protocol,
          client: s.client,
          server: s.server,
          what: s.what,
          packets: s.packets,
        };
        if (s.masked !== undefined) o.masked = s.masked;
        return o;
      }),
      awaitingPassword: [...this.awaitingPassword],
      opening: [...this.opening],
    };
  }

  /** Read with paths relative to the cleartext state (see readWithin): no path text is made unless a check fails. */
  static fromState(v: unknown, overflow: Overflow): CleartextWatch {
    const o = read.obj(v, '');
    const w = new CleartextWatch(overflow);
    eachWithin(read.arr(o.sightings, '.sightings', PER_TUNNEL.cleartextFlows), '.sightings', (x) => {
      const r = read.obj(x, '');
      const s: CleartextSighting = {
        protocol: read.oneOf(r.protocol, '.protocol', PROTOCOLS),
        client: read.str(r.client, '.client', 64),
        server: read.str(r.server, '.server', 64),
        what: read.oneOf(r.what, '.what', ['password', 'community', 'basic-auth', 'session'] as const),
        packets: read.int(r.packets, '.packets'),
      };
      if (r.masked !== undefined) s.masked = read.str(r.masked, '.masked', 32);
      const key = `${s.protocol} ${s.client} ${s.server}`;
      if (w.sightings.has(key)) throw new StateError(': flow given twice');
      w.sightings.set(key, s);
    });
    const known = (x: unknown, a: string) => {
      const key = read.str(x, a, 200);
      if (!w.sightings.has(key)) throw new StateError(`${a}: not one of the flows`);
      return key;
    };
    for (const key of read.set(o.awaitingPassword, '.awaitingPassword', PER_TUNNEL.cleartextFlows, known))
      w.awaitingPassword.add(key);
    eachWithin(read.arr(o.opening, '.opening', PER_TUNNEL.cleartextFlows), '.opening', (x) => {
      const pair = read.arr(x, '', 2);
      w.opening.set(known(pair[0], '[0]'), pair[1] === null ? null : read.str(pair[1], '[1]', 32));
    });
    return w;
  }

  private found(s: CleartextSighting, what: CleartextSighting['what'], secret: string): void {
    s.what = what;
    s.masked = mask(secret);
  }
}

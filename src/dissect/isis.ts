import { declareFields, fields, protocolField, type FieldSpec } from './field.js';
import { list } from './field-list.js';
import { type Layer, protocol } from './packet.js';
import { W } from './warnings.js';
import { jsonRest } from './json.js';
import { NLPID_NAMES } from './numbers.js';

/**
 * IS-IS (ISO 10589, RFC 1195): the OSI routing protocol, carried in GRE
 * under protocol type 0x00FE (OSI network layer). An 8-byte common header
 * (NLPID 0x83), then per PDU type a fixed part and TLVs. The audit reads
 * hellos (who is adjacent, at which level) and whether PDUs carry the
 * authentication TLV (10); passwords are never read out. The sender's
 * system ID (Wireshark's FT_SYSTEM_ID isis.hello.source_id) is in the JSON
 * members, not a declared field: field.ts has no system-ID type yet.
 */
const ISIS_NLPID = 0x83;
const ISIS_L1_LAN_HELLO = 15;
const ISIS_L2_LAN_HELLO = 16;
const ISIS_P2P_HELLO = 17;
const ISIS_L1_LSP = 18;
const ISIS_L2_LSP = 20;
const TLV_AUTHENTICATION = 10;
/** Authentication TLV types (RFC 5304, ISO 10589): 1 a password in clear, 54 HMAC-MD5. */
export const ISIS_AUTH_CLEARTEXT = 1;
const ISIS_AUTH_HMAC_MD5 = 54;
export function isisAuthName(type: number): string {
  return type === ISIS_AUTH_CLEARTEXT
    ? 'cleartext password'
    : type === ISIS_AUTH_HMAC_MD5
      ? 'HMAC-MD5'
      : `type ${type}`;
}

const TYPE_NAMES: Record<number, string> = {
  15: 'L1 HELLO',
  16: 'L2 HELLO',
  17: 'P2P HELLO',
  18: 'L1 LSP',
  20: 'L2 LSP',
  24: 'L1 CSNP',
  25: 'L2 CSNP',
  26: 'L1 PSNP',
  27: 'L2 PSNP',
};
/** Where the TLVs start, after the common header and the PDU type's fixed part. */
const FIXED_LENGTH: Record<number, number> = { 15: 27, 16: 27, 17: 20, 18: 27, 20: 27, 24: 33, 25: 33, 26: 17, 27: 17 };

const isisType = (l: Layer): number => l.buf[l.off + 4]! & 0x1f;
export const isisIsHello = (l: Layer): boolean => {
  const t = isisType(l);
  return t === ISIS_L1_LAN_HELLO || t === ISIS_L2_LAN_HELLO || t === ISIS_P2P_HELLO;
};

/** The level a PDU speaks for: 1 or 2; a point-to-point hello's circuit type (1, 2, 3 = both). */
export function isisLevel(l: Layer): number {
  const t = isisType(l);
  if (t === ISIS_P2P_HELLO) return l.off + 9 <= l.end ? l.buf[l.off + 8]! & 3 : 0;
  return t === ISIS_L1_LAN_HELLO || t === ISIS_L1_LSP || t === 24 || t === 26 ? 1 : 2;
}

/**
 * The system ID of the sender of a hello (its source ID) or LSP (its LSP ID), as Wireshark writes it: 1921.6800.1001.
 */
export function isisSourceId(l: Layer): string | null {
  const t = isisType(l);
  const at = isisIsHello(l)
    ? l.off + 9
    : t === ISIS_L1_LSP || t === ISIS_L2_LSP
      ? l.off + 12
      : t >= 24 && t <= 27
        ? l.off + 10
        : -1;
  if (at < 0 || at + 6 > l.end) return null;
  return systemId(l.buf, at);
}

export function systemId(buf: Uint8Array, at: number): string {
  const h = (i: number) => buf[at + i]!.toString(16).padStart(2, '0');
  return `${h(0)}${h(1)}.${h(2)}${h(3)}.${h(4)}${h(5)}`;
}

/** A hello's holding time in seconds, or -1. */
export function isisHoldingTime(l: Layer): number {
  return isisIsHello(l) && l.off + 17 <= l.end ? l.dv.getUint16(l.off + 15) : -1;
}

/**
 * Whether the whole PDU is here: its PDU length (after the common header in
 * LSPs and SNPs, after the holding time in hellos) within the bytes present.
 * A PDU cut short (a capture's snap length, a fuzzed length) may have lost
 * its authentication TLV: it tells nothing of authentication.
 */
export function isisWhole(l: Layer): boolean {
  const at = l.off + (isisIsHello(l) ? 17 : 8);
  return at + 2 <= l.end && l.dv.getUint16(at) <= l.end - l.off;
}

/**
 * The authentication TLV's type (1 cleartext, 54 HMAC-MD5...), 0 when the PDU carries none, -1 when the TLVs run past
 * the PDU.
 */
export function isisAuthType(l: Layer): number {
  const start = FIXED_LENGTH[isisType(l)];
  if (start === undefined) return 0;
  for (let p = l.off + start; p + 2 <= l.end; ) {
    const type = l.buf[p]!;
    const len = l.buf[p + 1]!;
    if (p + 2 + len > l.end) return -1;
    if (type === TLV_AUTHENTICATION) return len > 0 ? l.buf[p + 2]! : 0;
    p += 2 + len;
  }
  return 0;
}

/** "IS-IS L1 Hello". */
function isisLabel(l: Layer): string {
  const t = isisType(l);
  return `IS-IS ${TYPE_NAMES[t] ?? `type ${t}`}`;
}

/** Where a PDU's own length field is: after the holding time in hellos, after the common header otherwise. */
const pduLengthAt = (l: Layer): number => l.off + (isisIsHello(l) ? 17 : 8);

/** Wireshark's TLV (CLV) subtree titles, for those the routers at a tunnel's ends send. */
const TLV_TITLES: Record<number, string> = {
  1: 'Area address(es)',
  2: 'IS Reachability',
  6: 'IS Neighbor(s)',
  8: 'Padding',
  9: 'LSP entries',
  10: 'Authentication',
  22: 'Extended IS reachability',
  128: 'IP Internal reachability',
  129: 'Protocols Supported',
  130: 'IP External reachability',
  132: 'IP Interface address(es)',
  134: 'Traffic Engineering Router ID',
  135: 'Extended IP Reachability',
  137: 'Hostname',
  232: 'IPv6 Interface address(es)',
  236: 'IPv6 reachability',
  240: 'Point-to-point Adjacency State',
};

/** The PDU kinds Wireshark names the TLV fields by (isis.hello.clv.type, isis.lsp.clv.type...). */
type PduKind = 'hello' | 'lsp' | 'csnp' | 'psnp';
function pduKind(l: Layer): PduKind | null {
  const t = isisType(l);
  if (isisIsHello(l)) return 'hello';
  if (t === ISIS_L1_LSP || t === ISIS_L2_LSP) return 'lsp';
  if (t === 24 || t === 25) return 'csnp';
  return t === 26 || t === 27 ? 'psnp' : null;
}

/**
 * A TLV's field of PDUs of one kind: its type or length byte, or (`auth`) the authentication TLV's value after its
 * type.
 */
function tlvField(kind: PduKind, name: string, label: string, part: 'type' | 'length' | 'auth'): FieldSpec {
  return {
    name,
    label,
    type: part === 'auth' ? 'bytes' : 'uint',
    record: (l, v, _ctx, p, len) => {
      if (pduKind(l) !== kind) return;
      if (part === 'type') v.num(l.buf[p]!, l.buf, p, 1);
      else if (part === 'length') v.num(l.buf[p + 1]!, l.buf, p + 1, 1);
      else if (l.buf[p] === TLV_AUTHENTICATION && len > 3 && p + len <= l.end) v.bytes(l.buf, p + 3, len - 3);
    },
  };
}

/**
 * The TLVs (ISO 10589 9.x, CLVs in Wireshark) after a PDU's fixed part, up
 * to its PDU length: type, length, value, each whole. Wireshark names their
 * fields by the PDU kind that carries them.
 */
const TLVS = list({
  name: 'isis.clv',
  title: (l, p) => `${TLV_TITLES[l.buf[p]!] ?? 'Unknown code'} (t=${l.buf[p]}, l=${l.buf[p + 1]})`,
  in: [
    {
      when: (l) => FIXED_LENGTH[isisType(l)] !== undefined && pduLengthAt(l) + 2 <= l.end,
      start: (l) => l.off + FIXED_LENGTH[isisType(l)]!,
      end: (l) => Math.min(l.end, l.off + l.dv.getUint16(pduLengthAt(l))),
    },
  ],
  size: (l, p) => 2 + l.buf[p + 1]!,
  header: 2,
  fields: [
    tlvField('hello', 'isis.hello.clv.type', 'Type', 'type'),
    tlvField('hello', 'isis.hello.clv.length', 'Length', 'length'),
    tlvField('hello', 'isis.hello.clv_authentication', 'Authentication', 'auth'),
    tlvField('lsp', 'isis.lsp.clv.type', 'Type', 'type'),
    tlvField('lsp', 'isis.lsp.clv.length', 'Length', 'length'),
    tlvField('lsp', 'isis.lsp.authentication', 'Authentication', 'auth'),
    tlvField('csnp', 'isis.csnp.clv.type', 'Type', 'type'),
    tlvField('csnp', 'isis.csnp.clv.length', 'Length', 'length'),
    tlvField('csnp', 'isis.csnp.authentication', 'Authentication', 'auth'),
    tlvField('psnp', 'isis.psnp.clv.type', 'Type', 'type'),
    tlvField('psnp', 'isis.psnp.clv.length', 'Length', 'length'),
  ],
});

/** An IS-IS hello's circuit types. */
const CIRCUIT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Reserved 0 (discard PDU)',
  1: 'Level 1 only',
  2: 'Level 2 only',
  3: 'Level 1 and 2',
};

export const isis = protocol({
  // Wireshark's IS-IS comes through its OSI dissector, and names each PDU kind a protocol (isis.hello).
  frameNames: (l) => {
    const kind = pduKind(l);
    return kind ? `osi:isis:isis.${kind}` : 'osi:isis';
  },
  name: 'isis',
  abbrev: 'isis',
  title: 'ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol',
  hf: declareFields(() => [
    protocolField('isis', 'ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol'),
    ...fields(
      {
        name: 'isis.irpd',
        label: 'Intradomain Routing Protocol Discriminator',
        type: 'uint',
        values: NLPID_NAMES,
        base: 'hex',
        at: 0,
      },
      { name: 'isis.len', label: 'Length Indicator', type: 'uint', at: 1 },
      { name: 'isis.version', label: 'Version/Protocol ID Extension', type: 'uint', at: 2 },
      { name: 'isis.sysid_len', label: 'ID Length', type: 'uint', at: 3 },
      { name: 'isis.type', label: 'PDU Type', type: 'uint', mask: 0x1f, at: 4, values: TYPE_NAMES },
      { name: 'isis.version2', label: 'Version', type: 'uint', at: 5 },
      { name: 'isis.reserved', label: 'Reserved', type: 'uint', at: 6 },
      { name: 'isis.max_area_adr', label: 'Maximum Area Addresses', type: 'uint', at: 7 },
      {
        name: 'isis.hello.circuit_type',
        label: 'Circuit type',
        type: 'uint',
        values: CIRCUIT_TYPE_NAMES,
        base: 'hex',
        mask: 0x03,
        read: (l, v) => {
          if (isisIsHello(l) && l.off + 9 <= l.end) v.num(l.buf[l.off + 8]! & 3, l.buf, l.off + 8, 1);
        },
      },
      {
        name: 'isis.hello.holding_timer',
        label: 'Holding timer',
        type: 'uint',
        bits: 16,
        read: (l, v) => {
          const h = isisHoldingTime(l);
          if (h >= 0) v.num(h, l.buf, l.off + 15, 2);
        },
      },
    ),
    ...TLVS.fields,
  ]),
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    if (l.buf[l.off] !== ISIS_NLPID) return ctx.warn(l, W.badVersion, l.buf[l.off]!);
    const fixed = FIXED_LENGTH[isisType(l)] ?? 8;
    if (!ctx.need(l, fixed)) return;
    l.hdrEnd = l.off + fixed;
  },
  json: jsonRest((l) => {
    const o: Record<string, unknown> = { type: isisType(l), level: isisLevel(l) };
    const id = isisSourceId(l);
    if (id) o.systemId = id;
    const hold = isisHoldingTime(l);
    if (hold >= 0) o.holdingTime = hold;
    const auth = isisAuthType(l);
    if (auth > 0) o.authType = auth;
    return o;
  }),
  label: isisLabel,
  summary(l, out) {
    out.str(isisLabel(l));
    const id = isisSourceId(l);
    if (id) out.str(' ').str(id);
  },
});

import { openEsp, type OpenFailure } from '../ipsec/decrypt.js';
import type { SaEntry } from '../ipsec/sa-file.js';
import { detectNullEsp } from '../ipsec/esp-null.js';
import { addressText } from './addr.js';
import { declareFields, fields, protocolField, type Values } from './field.js';
import { ipv4 } from './ipv4.js';
import { jsonMembers } from './json.js';
import { IP_PROTOCOL_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';

/**
 * ESP (RFC 4303): SPI and sequence number; the rest is ciphertext. With the
 * run's SAs (--esp-sa, -E) a matching packet is decrypted; without one, the
 * NULL-encryption heuristic may still find a clear payload. Either way the
 * inner packet is dissected, its layers marked fromEsp.
 * aux: what became of the payload; aux2: the SA's IV and ICV lengths and
 * the trailer, or why the payload would not open (see espAux2).
 */
const ESP_OPAQUE = 0;
/** Readable: NULL encryption, found by the heuristic or named by an SA. */
const ESP_NULL = 1;
const ESP_DECRYPTED = 2;
/** An SA matched but the packet would not open (wrong key, corrupted). */
const ESP_UNOPENED = 3;
/** An SA matched a packet the snaplen cut: not opened, and no verdict on the keys; its IV shows as tshark shows it. */
const ESP_CUT = 4;

const ICV_VERDICTS = ['unchecked', 'good'] as const;
const FAILURES: OpenFailure[] = ['too-short', 'bad-length', 'icv-bad', 'bad-trailer'];

/**
 * aux2 in one number (a layer has two): the ICV length (6 bits; 32 bytes at most) and IV length (5; 16) of the SA or
 * of the NULL heuristic's guess; of a payload read through, its pad length, next header and whether the ICV was
 * checked good; of one that would not open, the failure (in the pad length's place).
 */
function espAux2(icvLength: number, ivLength: number, padLength: number, nextHeader: number, good: boolean): number {
  return icvLength | (ivLength << 6) | (padLength << 11) | (nextHeader << 19) | ((good ? 1 : 0) << 27);
}
const icvLengthOf = (l: Layer): number => l.aux2 & 63;
const ivLengthOf = (l: Layer): number => (l.aux2 >> 6) & 31;
const padLengthOf = (l: Layer): number => (l.aux2 >> 11) & 255;
const failureOf = (l: Layer): OpenFailure => FAILURES[(l.aux2 >> 11) & 255]!;
const nextHeaderOf = (l: Layer): number => (l.aux2 >> 19) & 255;
const icvVerdict = (l: Layer): (typeof ICV_VERDICTS)[number] => ICV_VERDICTS[(l.aux2 >> 27) & 1]!;
const icvLengthOfSa = (sa: SaEntry): number => (sa.enc.kind === 'gcm' ? sa.enc.icvLength : sa.auth.icvLength);

/** The addresses of the IP header that carries this ESP layer. */
function outerAddresses(ctx: PacketCtx): { family: 4 | 6; src: string; dst: string } | null {
  for (let i = ctx.count - 2; i >= 0; i--) {
    const n = ctx.layers[i]!;
    if (n.proto.network)
      return { family: n.proto === ipv4 ? 4 : 6, src: addressText(n, 'src'), dst: addressText(n, 'dst') };
  }
  return null;
}

/** The run's SA for this packet (--esp-sa, -E), if any. */
function saOf(ctx: PacketCtx, l: Layer): SaEntry | null {
  const sas = ctx.state.sas;
  if (!sas) return null;
  const outer = outerAddresses(ctx);
  return (outer && sas.find(l.dv.getUint32(l.off), outer.family, outer.src, outer.dst)) ?? null;
}

/** IPv6's "No Next Header": an ESP dummy packet (RFC 4303 2.6), nothing inside. */
const NO_NEXT_HEADER = 59;

function decrypt(ctx: PacketCtx, l: Layer): boolean {
  const sa = saOf(ctx, l);
  if (!sa) return false;
  const r = openEsp(sa, l.buf.subarray(l.off, l.end));
  if (!r.ok) {
    ctx.warn(l, W.espUnopened, l.dv.getUint32(l.off), FAILURES.indexOf(r.reason));
    // NULL encryption hides nothing: with a wrong integrity key the payload is as readable as without keys (tshark
    // shows it too, its ICV bad), so the NULL heuristic reads it.
    if (sa.enc.kind === 'null') return false;
    l.aux = ESP_UNOPENED;
    l.aux2 = espAux2(icvLengthOfSa(sa), sa.enc.ivLength, FAILURES.indexOf(r.reason), 0, false);
    return true;
  }
  l.aux = sa.enc.kind === 'null' ? ESP_NULL : ESP_DECRYPTED;
  l.aux2 = espAux2(icvLengthOfSa(sa), sa.enc.ivLength, r.padLength, r.nextHeader, r.icv === 'good');
  decrypted.set(l, r.plain);
  ctx.fromEsp = true;
  // The inner packet's buffer holds the trailer after it: the trailer's fields are read there (as tshark shows them).
  if (r.nextHeader !== NO_NEXT_HEADER) ctx.handoffBuffer(r.plain, Table.IpProto, r.nextHeader, r.innerEnd);
  return true;
}

/** Bytes lie between the IV and the ICV: tshark shows neither where none do. */
const hasCiphertext = (l: Layer): boolean => l.hdrEnd + ivLengthOf(l) + icvLengthOf(l) < l.end;

/** Where a NULL payload's pad length is: the trailer is in the packet, before the ICV. */
const padLengthAt = (l: Layer): number => l.end - icvLengthOf(l) - 2;

/**
 * Each decrypted ESP layer's payload, trailer and all (tshark's decrypted data), where its trailer's fields are read:
 * the inner packet, handed on in the same buffer, ends before it; with no inner layer (a protocol not dissected) the
 * trailer is still there. Layers are pooled: an entry counts only while its layer says decrypted,
 * which decrypt() sets with it.
 */
const decrypted = new WeakMap<Layer, Uint8Array>();

/** Where a payload read through keeps its trailer: NULL's in the packet, before the ICV; a decrypted one's last. */
function trailerOf(l: Layer): { buf: Uint8Array; padLengthAt: number } | null {
  if (l.aux === ESP_NULL) return { buf: l.buf, padLengthAt: padLengthAt(l) };
  const plain = l.aux === ESP_DECRYPTED ? decrypted.get(l) : undefined;
  return plain ? { buf: plain, padLengthAt: plain.length - 2 } : null;
}

const ESP_FIELDS = declareFields(() => {
  // A dummy packet (next header 59, RFC 4303 2.6) has no trailer fields in tshark's tree: only its contained data.
  const trailerShown = (l: Layer) =>
    (l.aux === ESP_NULL || l.aux === ESP_DECRYPTED) && nextHeaderOf(l) !== NO_NEXT_HEADER;
  /** The trailer's pad length (at 0) or next header (at 1), and its byte. */
  const trailerByte = (at: 0 | 1) => (l: Layer, v: Values) => {
    if (!trailerShown(l)) return;
    const n = at === 0 ? padLengthOf(l) : nextHeaderOf(l);
    const t = trailerOf(l);
    if (t) v.num(n, t.buf, t.padLengthAt + at, 1);
  };
  return [
    protocolField('esp', 'Encapsulating Security Payload'),
    ...fields(
      { name: 'esp.spi', label: 'ESP SPI', type: 'uint', bits: 32, base: 'hex_dec', at: 0 },
      { name: 'esp.sequence', label: 'ESP Sequence', type: 'uint', bits: 32, at: 4 },
      {
        name: 'esp.iv',
        label: 'ESP IV',
        type: 'bytes',
        // Where an SA matched, opened or not, and some ciphertext lies between IV and ICV (as tshark shows them).
        read: (l, v) => {
          const n = l.aux === ESP_OPAQUE ? 0 : ivLengthOf(l);
          if (n > 0 && (l.aux === ESP_CUT ? l.hdrEnd + n <= l.end : hasCiphertext(l))) v.bytes(l.buf, l.hdrEnd, n);
        },
      },
      {
        name: 'esp.pad',
        label: 'Pad',
        type: 'bytes',
        read: (l, v) => {
          const n = trailerShown(l) ? padLengthOf(l) : 0;
          const t = n > 0 ? trailerOf(l) : null;
          if (t) v.bytes(t.buf, t.padLengthAt - n, n);
        },
      },
      { name: 'esp.pad_len', label: 'ESP Pad Length', type: 'uint', bits: 8, read: trailerByte(0) },
      {
        name: 'esp.protocol',
        label: 'ESP Next Header',
        type: 'uint',
        bits: 8,
        base: 'hex',
        // No value names declared: tshark declares none (test/fields-tshark.test.ts holds ours to its declarations);
        // its tree names the protocol all the same.
        display: (n) => {
          const hex = `0x${n.toString(16).padStart(2, '0')}`;
          const name = IP_PROTOCOL_NAMES[n];
          return name === undefined ? hex : `${name} (${hex})`;
        },
        read: trailerByte(1),
      },
      {
        name: 'esp.icv',
        label: 'ESP ICV',
        type: 'bytes',
        read: (l, v) => {
          // A cut packet's last bytes are not its ICV.
          const n = l.aux === ESP_OPAQUE || l.aux === ESP_CUT ? 0 : icvLengthOf(l);
          if (n > 0 && hasCiphertext(l)) v.bytes(l.buf, l.end - n, n);
        },
      },
    ),
  ];
});

export const esp = protocol({
  name: 'esp',
  abbrev: 'esp',
  title: 'Encapsulating Security Payload',
  hf: ESP_FIELDS,
  dissect(ctx, l) {
    l.aux = ESP_OPAQUE;
    if (!ctx.need(l, 8)) {
      // The SPI alone still names the security association.
      if (l.end - l.off >= 4) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 8;
    if (l.quoted) return;
    if (l.short) {
      const sa = saOf(ctx, l);
      if (sa) {
        l.aux = ESP_CUT;
        l.aux2 = espAux2(icvLengthOfSa(sa), sa.enc.ivLength, 0, 0, false);
      }
      return;
    }
    if (decrypt(ctx, l)) return;
    const found = detectNullEsp(l.buf, l.dv, l.hdrEnd, l.end);
    if (!found) return;
    l.aux = ESP_NULL;
    const padLength = l.end - found.icvLength - 2 - found.payloadEnd;
    l.aux2 = espAux2(found.icvLength, 0, padLength, found.nextHeader, false);
    ctx.fromEsp = true;
    ctx.handoff(l, Table.IpProto, found.nextHeader, l.hdrEnd, found.payloadEnd);
  },
  json: jsonMembers(ESP_FIELDS, [
    { name: 'spi', field: 'esp.spi' },
    { name: 'seq', field: 'esp.sequence' },
    // What became of the payload: verdicts of this program, not header fields.
    { name: 'encryption', value: (l) => (l.aux === ESP_NULL ? 'null' : undefined) },
    { name: 'decrypted', value: (l) => (l.aux === ESP_DECRYPTED ? true : undefined) },
    { name: 'icv', value: (l) => (l.aux === ESP_DECRYPTED ? icvVerdict(l) : undefined) },
    { name: 'decryptError', value: (l) => (l.aux === ESP_UNOPENED ? failureOf(l) : undefined) },
  ]),
  summary(l, out) {
    out.str('ESP spi ').hex(l.dv.getUint32(l.off), 8);
    if (l.off + 8 <= l.end) out.str(' seq ').num(l.dv.getUint32(l.off + 4));
    if (l.aux === ESP_NULL) out.str(' (NULL encryption)');
    if (l.aux === ESP_DECRYPTED) out.str(' (decrypted, ICV ').str(icvVerdict(l)).byte(0x29);
    if (l.aux === ESP_UNOPENED) out.str(' (not decrypted: ').str(failureOf(l)).byte(0x29);
  },
});

export const espSpi = (l: Layer): number => l.dv.getUint32(l.off);
/** The sequence number, -1 when the header was cut short. */
export const espSeq = (l: Layer): number => (l.off + 8 <= l.end ? l.dv.getUint32(l.off + 4) : -1);
/** The payload is readable as sent: NULL encryption. */
export const espNullEncrypted = (l: Layer): boolean => l.aux === ESP_NULL;
export const espDecrypted = (l: Layer): boolean => l.aux === ESP_DECRYPTED;
/** Keys were given for the SA but the payload did not open. */
export const espUnopened = (l: Layer): boolean => l.aux === ESP_UNOPENED;
/** The payload was read through: NULL encryption or decrypted. */
export const espOpened = (l: Layer): boolean => l.aux === ESP_NULL || l.aux === ESP_DECRYPTED;

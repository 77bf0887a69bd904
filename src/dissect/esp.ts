import { openEsp, type OpenFailure } from '../ipsec/decrypt.js';
import { detectNullEsp } from '../ipsec/esp-null.js';
import { addressText } from './addr.js';
import { declareFields, fields, protocolField } from './field.js';
import { ipv4 } from './ipv4.js';
import { jsonMembers } from './json.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';

/**
 * ESP (RFC 4303): SPI and sequence number; the rest is ciphertext. With the
 * run's SAs (--esp-sa, -E) a matching packet is decrypted; without one, the
 * NULL-encryption heuristic may still find a clear payload. Either way the
 * inner packet is dissected, its layers marked fromEsp.
 * aux: what became of the payload; aux2: the ICV length (NULL) or the ICV
 * verdict / failure reason (decryption).
 */
const ESP_OPAQUE = 0;
/** Readable: NULL encryption, found by the heuristic or named by an SA. */
const ESP_NULL = 1;
const ESP_DECRYPTED = 2;
/** An SA matched but the packet would not open (wrong key, corrupted). */
const ESP_UNOPENED = 3;

const ICV_VERDICTS = ['unchecked', 'good'] as const;
const FAILURES: OpenFailure[] = ['too-short', 'bad-length', 'icv-bad', 'bad-trailer'];

/** The addresses of the IP header that carries this ESP layer. */
function outerAddresses(ctx: PacketCtx): { family: 4 | 6; src: string; dst: string } | null {
  for (let i = ctx.count - 2; i >= 0; i--) {
    const n = ctx.layers[i]!;
    if (n.proto.network)
      return { family: n.proto === ipv4 ? 4 : 6, src: addressText(n, 'src'), dst: addressText(n, 'dst') };
  }
  return null;
}

function decrypt(ctx: PacketCtx, l: Layer): boolean {
  const sas = ctx.state.sas;
  if (!sas) return false;
  const outer = outerAddresses(ctx);
  const sa = outer && sas.find(l.dv.getUint32(l.off), outer.family, outer.src, outer.dst);
  if (!sa) return false;
  const r = openEsp(sa, l.buf.subarray(l.off, l.end));
  if (!r.ok) {
    ctx.warn(l, W.espUnopened, l.dv.getUint32(l.off), FAILURES.indexOf(r.reason));
    // NULL encryption hides nothing: with a wrong integrity key the payload is as readable as without keys (tshark
    // shows it too, its ICV bad), so the NULL heuristic reads it.
    if (sa.enc.kind === 'null') return false;
    l.aux = ESP_UNOPENED;
    l.aux2 = FAILURES.indexOf(r.reason);
    return true;
  }
  l.aux = sa.enc.kind === 'null' ? ESP_NULL : ESP_DECRYPTED;
  l.aux2 = r.icv === 'good' ? 1 : 0;
  ctx.fromEsp = true;
  if (r.nextHeader !== 59) ctx.handoffBuffer(r.inner, Table.IpProto, r.nextHeader);
  return true;
}

const ESP_FIELDS = declareFields(() => [
  protocolField('esp', 'Encapsulating Security Payload'),
  ...fields(
    { name: 'esp.spi', label: 'ESP SPI', type: 'uint', bits: 32, base: 'hex_dec', at: 0 },
    { name: 'esp.sequence', label: 'ESP Sequence', type: 'uint', bits: 32, at: 4 },
  ),
]);

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
    if (l.short || l.quoted || decrypt(ctx, l)) return;
    const found = detectNullEsp(l.buf, l.dv, l.hdrEnd, l.end);
    if (!found) return;
    l.aux = ESP_NULL;
    l.aux2 = found.icvLength;
    ctx.fromEsp = true;
    ctx.handoff(l, Table.IpProto, found.nextHeader, l.hdrEnd, found.payloadEnd);
  },
  json: jsonMembers(ESP_FIELDS, [
    { name: 'spi', field: 'esp.spi' },
    { name: 'seq', field: 'esp.sequence' },
    // What became of the payload: verdicts of this program, not header fields.
    { name: 'encryption', value: (l) => (l.aux === ESP_NULL ? 'null' : undefined) },
    { name: 'decrypted', value: (l) => (l.aux === ESP_DECRYPTED ? true : undefined) },
    { name: 'icv', value: (l) => (l.aux === ESP_DECRYPTED ? ICV_VERDICTS[l.aux2] : undefined) },
    { name: 'decryptError', value: (l) => (l.aux === ESP_UNOPENED ? FAILURES[l.aux2] : undefined) },
  ]),
  summary(l, out) {
    out.str('ESP spi ').hex(l.dv.getUint32(l.off), 8);
    if (l.off + 8 <= l.end) out.str(' seq ').num(l.dv.getUint32(l.off + 4));
    if (l.aux === ESP_NULL) out.str(' (NULL encryption)');
    if (l.aux === ESP_DECRYPTED) out.str(' (decrypted, ICV ').str(ICV_VERDICTS[l.aux2]!).byte(0x29);
    if (l.aux === ESP_UNOPENED) out.str(' (not decrypted: ').str(FAILURES[l.aux2]!).byte(0x29);
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

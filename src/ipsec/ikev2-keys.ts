import { crypto } from '../util/crypto.js';
import { keyBytes, SaFileError, type TcpdumpLine } from './sa-file.js';

/**
 * IKEv2 SA keys in Wireshark's ikev2_decryption_table format (strongSwan's
 * save-keys plugin writes the same file): one SA a line, comma-separated,
 * "#" comments, hex bytes bare or quoted, algorithm names quoted:
 *   ispi,rspi,sk_ei,sk_er,"encryption",sk_ai,sk_ar,"integrity"
 * and the SK payload's decryption (RFC 7296 3.14, RFC 5282 for GCM,
 * RFC 5930 for CTR). Keys stay in here: messages name the file and line.
 */
export interface IkeEncryption {
  readonly name: string;
  readonly mode: 'cbc' | 'ctr' | 'gcm' | 'ccm' | 'null';
  readonly keyBytes: number;
  /** Bytes of salt (GCM, CCM) or nonce (CTR) after the key. */
  readonly saltBytes: number;
  readonly ivBytes: number;
  readonly blockBytes: number;
  readonly icvBytes: number;
  readonly cipher: string;
}
export interface IkeIntegrity {
  readonly name: string;
  readonly hash: string | null;
  readonly keyBytes: number;
  readonly icvBytes: number;
}

const enc = (
  name: string,
  mode: IkeEncryption['mode'],
  keyBytes: number,
  o: Partial<IkeEncryption> = {},
): IkeEncryption => ({
  name,
  mode,
  keyBytes,
  saltBytes: 0,
  ivBytes: 16,
  blockBytes: 16,
  icvBytes: 0,
  cipher: mode === 'null' ? '' : `aes-${keyBytes * 8}-${mode}`,
  ...o,
});
const gcm = (bits: number, icv: number) =>
  enc(`AES-GCM-${bits} with ${icv} octet ICV [RFC5282]`, 'gcm', bits / 8, {
    saltBytes: 4,
    ivBytes: 8,
    blockBytes: 1,
    icvBytes: icv,
  });
// RFC 5282: CCM's nonce is a 3-byte salt and the 8-byte IV; the padding still aligns to 4 bytes (RFC 4309).
const ccm = (bits: number, icv: number) =>
  enc(`AES-CCM-${bits} with ${icv} octet ICV [RFC5282]`, 'ccm', bits / 8, {
    saltBytes: 3,
    ivBytes: 8,
    blockBytes: 1,
    icvBytes: icv,
  });

/** Wireshark's names (packet-isakmp.c ikev2_encr_algs), which strongSwan's save-keys writes too. */
const IKE_ENCRYPTION: readonly IkeEncryption[] = [
  enc('NULL [RFC2410]', 'null', 0, { ivBytes: 0, blockBytes: 1 }),
  enc('3DES [RFC2451]', 'cbc', 24, { ivBytes: 8, blockBytes: 8, cipher: 'des-ede3-cbc' }),
  enc('AES-CBC-128 [RFC3602]', 'cbc', 16),
  enc('AES-CBC-192 [RFC3602]', 'cbc', 24),
  enc('AES-CBC-256 [RFC3602]', 'cbc', 32),
  enc('AES-CTR-128 [RFC5930]', 'ctr', 16, { saltBytes: 4, ivBytes: 8, blockBytes: 1 }),
  enc('AES-CTR-192 [RFC5930]', 'ctr', 24, { saltBytes: 4, ivBytes: 8, blockBytes: 1 }),
  enc('AES-CTR-256 [RFC5930]', 'ctr', 32, { saltBytes: 4, ivBytes: 8, blockBytes: 1 }),
  ...[128, 192, 256].flatMap((bits) => [8, 12, 16].map((icv) => gcm(bits, icv))),
  ...[128, 192, 256].flatMap((bits) => [8, 12, 16].map((icv) => ccm(bits, icv))),
];
const IKE_INTEGRITY: readonly IkeIntegrity[] = [
  { name: 'NONE [RFC4306]', hash: null, keyBytes: 0, icvBytes: 0 },
  { name: 'HMAC_MD5_96 [RFC2403]', hash: 'md5', keyBytes: 16, icvBytes: 12 },
  { name: 'HMAC_SHA1_96 [RFC2404]', hash: 'sha1', keyBytes: 20, icvBytes: 12 },
  { name: 'HMAC_MD5_128 [RFC4595]', hash: 'md5', keyBytes: 16, icvBytes: 16 },
  { name: 'HMAC_SHA1_160 [RFC4595]', hash: 'sha1', keyBytes: 20, icvBytes: 20 },
  { name: 'HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]', hash: 'sha256', keyBytes: 32, icvBytes: 12 },
  { name: 'HMAC_SHA2_256_128 [RFC4868]', hash: 'sha256', keyBytes: 32, icvBytes: 16 },
  { name: 'HMAC_SHA2_384_192 [RFC4868]', hash: 'sha384', keyBytes: 48, icvBytes: 24 },
  { name: 'HMAC_SHA2_512_256 [RFC4868]', hash: 'sha512', keyBytes: 64, icvBytes: 32 },
];

/** An IKE SA's keys; a side's are null where only the other side's were given (tcpdump's lines: one a side). */
export interface IkeSaKeys {
  readonly origin: string;
  readonly ispi: string;
  readonly rspi: string;
  readonly skEi: Buffer | null;
  readonly skEr: Buffer | null;
  readonly enc: IkeEncryption;
  readonly skAi: Buffer | null;
  readonly skAr: Buffer | null;
  readonly integ: IkeIntegrity;
}

/** The keys of the side that sent a message (the I flag) are known. */
export const hasKeysOf = (keys: IkeSaKeys, fromInitiator: boolean): boolean =>
  (fromInitiator ? keys.skEi : keys.skEr) !== null;

/** Fields split on commas outside quotes; quotes removed. */
function fieldsOf(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (quoted) return null;
  out.push(cur.trim());
  return out;
}

function hex(text: string, what: string, origin: string, bytes: number | null): Buffer {
  const t = text.replace(/^0x/i, '');
  if (t.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(t)) throw new SaFileError(`${origin}: the ${what} is not hexadecimal`);
  const b = Buffer.from(t, 'hex');
  if (bytes !== null && b.length !== bytes)
    throw new SaFileError(`${origin}: the ${what} has ${b.length} bytes, ${bytes} expected`);
  return b;
}

const normal = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

export function parseIkev2Keys(text: string, name: string): IkeSaKeys[] {
  const out: IkeSaKeys[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const origin = `${name}:${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const f = fieldsOf(line);
    if (!f || f.length !== 8)
      throw new SaFileError(
        `${origin}: expected 8 fields (ispi,rspi,sk_ei,sk_er,"encryption",sk_ai,sk_ar,"integrity")`,
      );
    const e = IKE_ENCRYPTION.find((x) => normal(x.name) === normal(f[4]!));
    if (!e)
      throw new SaFileError(
        `${origin}: unknown encryption algorithm "${f[4]}" (Wireshark's names, e.g. "AES-CBC-256 [RFC3602]")`,
      );
    const a = IKE_INTEGRITY.find((x) => normal(x.name) === normal(f[7]!));
    if (!a)
      throw new SaFileError(
        `${origin}: unknown integrity algorithm "${f[7]}" (Wireshark's names, e.g. "HMAC_SHA2_256_128 [RFC4868]")`,
      );
    const ek = e.keyBytes + e.saltBytes;
    out.push({
      origin,
      ispi: hex(f[0]!, "initiator's SPI", origin, 8).toString('hex'),
      rspi: hex(f[1]!, "responder's SPI", origin, 8).toString('hex'),
      skEi: hex(f[2]!, 'SK_ei', origin, ek),
      skEr: hex(f[3]!, 'SK_er', origin, ek),
      enc: e,
      skAi: hex(f[5]!, 'SK_ai', origin, a.keyBytes),
      skAr: hex(f[6]!, 'SK_ar', origin, a.keyBytes),
      integ: a,
    });
  });
  return out;
}

/**
 * tcpdump's names (print-esp.c: OpenSSL's cipher names less "-cbc" and "-hmac96"; for integrity, "sha1" and "md5",
 * whose ICV it takes as 12 bytes) and the RFC 4868 ones beside them.
 */
const TCPDUMP_ENCRYPTION: Readonly<Record<string, string>> = {
  aes128: 'AES-CBC-128 [RFC3602]',
  aes192: 'AES-CBC-192 [RFC3602]',
  aes256: 'AES-CBC-256 [RFC3602]',
  '3des': '3DES [RFC2451]',
  'des-ede3': '3DES [RFC2451]',
};
const TCPDUMP_INTEGRITY: Readonly<Record<string, string>> = {
  sha1: 'HMAC_SHA1_96 [RFC2404]',
  md5: 'HMAC_MD5_96 [RFC2403]',
  sha256: 'HMAC_SHA2_256_128 [RFC4868]',
  sha384: 'HMAC_SHA2_384_192 [RFC4868]',
  sha512: 'HMAC_SHA2_512_256 [RFC4868]',
};

/** "name:0xkey" of a tcpdump line: the algorithm of the table and the key of the length it takes. */
function tcpdumpAlgorithm<T extends { name: string; keyBytes: number }>(
  text: string,
  names: Readonly<Record<string, string>>,
  table: readonly T[],
  what: string,
  origin: string,
): { algorithm: T; key: Buffer } {
  const colon = text.indexOf(':');
  const name = text
    .slice(0, Math.max(0, colon))
    .toLowerCase()
    .replace(/-hmac96$/, '')
    .replace(/-cbc$/, '');
  const full = names[name];
  const algorithm = full === undefined ? undefined : table.find((x) => x.name === full);
  if (colon < 0 || !algorithm)
    throw new SaFileError(`${origin}: expected the ${what} as ${Object.keys(names).join(', ')}, ":" and its key`);
  const key = keyBytes(text.slice(colon + 1), `${what}'s key`, origin);
  if (key.length !== algorithm.keyBytes)
    throw new SaFileError(`${origin}: the ${what}'s key has ${key.length} bytes, ${algorithm.keyBytes} expected`);
  return { algorithm, key };
}

/**
 * tcpdump's IKEv2 lines of an -E secrets file (print-esp.c, esp_print_decode_ikeline), the "ikev2" keyword taken off:
 *   I|R 0x<initiator's SPI> 0x<responder's SPI> <integrity>:0x<key> <encryption>:0x<key>
 * each side's keys on a line of its own (I: SK_ai, SK_ei; R: SK_ar, SK_er); the lines of one SA make one entry. As
 * tcpdump: only the first letter of I|R counts, words after the fifth are ignored, a key without "0x" is its text's
 * bytes, and a later line for the same side replaces an earlier one. tcpdump does not check the ICV; gredump does.
 */
export function ikev2KeysFromTcpdump(lines: readonly TcpdumpLine[]): IkeSaKeys[] {
  const sas = new Map<string, IkeSaKeys>();
  for (const { text, origin } of lines) {
    const f = text.split(/\s+/);
    if (f.length < 5 || !/^[IR]/.test(f[0]!) || !/^0x/i.test(f[1]!) || !/^0x/i.test(f[2]!))
      throw new SaFileError(`${origin}: expected "ikev2 I|R 0xISPI 0xRSPI integrity:0xKEY encryption:0xKEY"`);
    const ispi = hex(f[1]!, "initiator's SPI", origin, 8).toString('hex');
    const rspi = hex(f[2]!, "responder's SPI", origin, 8).toString('hex');
    const a = tcpdumpAlgorithm(f[3]!, TCPDUMP_INTEGRITY, IKE_INTEGRITY, 'integrity algorithm', origin);
    const e = tcpdumpAlgorithm(f[4]!, TCPDUMP_ENCRYPTION, IKE_ENCRYPTION, 'encryption algorithm', origin);
    const key = `${ispi}/${rspi}`;
    const before = sas.get(key);
    if (before && (before.enc !== e.algorithm || before.integ !== a.algorithm))
      throw new SaFileError(`${origin}: the algorithms differ from those of ${before.origin}, the other side's line`);
    const initiator = f[0]!.startsWith('I');
    sas.set(key, {
      origin: before?.origin ?? origin,
      ispi,
      rspi,
      enc: e.algorithm,
      integ: a.algorithm,
      skEi: initiator ? e.key : (before?.skEi ?? null),
      skAi: initiator ? a.key : (before?.skAi ?? null),
      skEr: initiator ? (before?.skEr ?? null) : e.key,
      skAr: initiator ? (before?.skAr ?? null) : a.key,
    });
  }
  return [...sas.values()];
}

export type SkFailure = 'too-short' | 'icv-bad' | 'bad-padding' | 'bad-length';

/**
 * Opens an SK payload. msg is the whole IKE message [0, end); sk the SK
 * payload's offset in it; fromInitiator picks SK_ei/SK_ai (the I flag).
 * Returns the payloads inside (padding removed) or why not.
 */
export function openSk(
  keys: IkeSaKeys,
  msg: Uint8Array,
  sk: number,
  fromInitiator: boolean,
): { ok: true; plain: Uint8Array } | { ok: false; reason: SkFailure } {
  const e = keys.enc;
  const a = keys.integ;
  const skLen = (msg[sk + 2]! << 8) | msg[sk + 3]!;
  const end = sk + skLen;
  if (skLen < 4 || end > msg.length) return { ok: false, reason: 'bad-length' };
  const ivAt = sk + 4;
  const icv = e.mode === 'gcm' || e.mode === 'ccm' ? e.icvBytes : a.icvBytes;
  const ctAt = ivAt + e.ivBytes;
  const ctEnd = end - icv;
  if (ctEnd < ctAt + 1) return { ok: false, reason: 'too-short' };
  // The caller asked hasKeysOf first.
  const ek = (fromInitiator ? keys.skEi : keys.skEr)!;
  const key = ek.subarray(0, e.keyBytes);
  const salt = ek.subarray(e.keyBytes);
  const iv = msg.subarray(ivAt, ctAt);
  const ct = msg.subarray(ctAt, ctEnd);
  let plain: Buffer;
  try {
    if (e.mode === 'gcm') {
      const d = crypto().createDecipheriv(e.cipher as 'aes-128-gcm', key, Buffer.concat([salt, iv]), {
        authTagLength: icv,
      });
      d.setAAD(msg.subarray(0, ivAt));
      d.setAuthTag(msg.subarray(ctEnd, end));
      plain = Buffer.concat([d.update(ct), d.final()]);
    } else if (e.mode === 'ccm') {
      const d = crypto().createDecipheriv(e.cipher as 'aes-128-ccm', key, Buffer.concat([salt, iv]), {
        authTagLength: icv,
      });
      d.setAuthTag(msg.subarray(ctEnd, end));
      d.setAAD(msg.subarray(0, ivAt), { plaintextLength: ct.length });
      plain = Buffer.concat([d.update(ct), d.final()]);
    } else {
      if (a.hash !== null) {
        const mac = crypto()
          .createHmac(a.hash, (fromInitiator ? keys.skAi : keys.skAr)!)
          .update(msg.subarray(0, ctEnd))
          .digest()
          .subarray(0, icv);
        if (!crypto().timingSafeEqual(mac, msg.subarray(ctEnd, end))) return { ok: false, reason: 'icv-bad' };
      }
      if (e.mode === 'null') plain = Buffer.from(ct);
      else if (e.mode === 'ctr') {
        const counter = Buffer.concat([salt, iv, Buffer.from([0, 0, 0, 1])]);
        const d = crypto().createDecipheriv(e.cipher, key, counter);
        plain = Buffer.concat([d.update(ct), d.final()]);
      } else {
        if (ct.length % e.blockBytes !== 0) return { ok: false, reason: 'bad-length' };
        const d = crypto().createDecipheriv(e.cipher, key, iv);
        d.setAutoPadding(false);
        plain = Buffer.concat([d.update(ct), d.final()]);
      }
    }
  } catch {
    return { ok: false, reason: 'icv-bad' };
  }
  const pad = plain[plain.length - 1]!;
  if (pad + 1 > plain.length) return { ok: false, reason: 'bad-padding' };
  return { ok: true, plain: plain.subarray(0, plain.length - 1 - pad) };
}

import { AUTHENTICATION, ENCRYPTION, type AuthenticationAlgorithm, type EncryptionAlgorithm } from './algorithms.js';
import { SaFileError, type SaEntry } from './sa-file.js';

/**
 * The kernel's SAs as `ip xfrm state` (and `ip -s xfrm state`) print them
 * (iproute2 ip/ipxfrm.c): a block per state, "src A dst B" at the margin,
 * then tab-indented lines: "proto esp spi 0x... reqid N mode M", "enc NAME
 * 0xKEY", "auth NAME 0xKEY", "auth-trunc NAME 0xKEY BITS", "aead NAME 0xKEY
 * ICVBITS", "encap type espinudp sport S dport D addr A", and others we
 * step over (replay-window, sel, lifetime, stats, anti-replay context...).
 * Each usable ESP state becomes an SA; each other one is named with why.
 */

export interface XfrmResult {
  readonly entries: SaEntry[];
  /** States that cannot be used, each named by file, line and SPI (never a key). */
  readonly skipped: string[];
  /** NAT-T encapsulation of the usable states, by origin (for messages; decryption needs only the addresses). */
  readonly encap: Map<string, { type: string; sport: number; dport: number }>;
}

const byName = <T extends { name: string }>(list: T[], name: string): T => list.find((x) => x.name === name)!;
const gcmByIcv: Record<number, string> = {
  64: 'AES-GCM with 8 octet ICV [RFC4106]',
  96: 'AES-GCM with 12 octet ICV [RFC4106]',
  128: 'AES-GCM with 16 octet ICV [RFC4106]',
};

/** Kernel cipher names (crypto API templates) and the ESP decryptor's algorithms. */
const ENC_NAMES: Record<string, string> = {
  'cbc(aes)': 'AES-CBC [RFC3602]',
  aes: 'AES-CBC [RFC3602]',
  'cbc(des3_ede)': 'TripleDES-CBC [RFC2451]',
  des3_ede: 'TripleDES-CBC [RFC2451]',
  'rfc3686(ctr(aes))': 'AES-CTR [RFC3686]',
  'ecb(cipher_null)': 'NULL',
  cipher_null: 'NULL',
};
/** Kernel hash names, and the ICV length in bits plain `auth` gets (the kernel's default truncation). */
const AUTH_NAMES: Record<string, { hash: string | null; defaultBits: number }> = {
  'hmac(sha1)': { hash: 'sha1', defaultBits: 96 },
  sha1: { hash: 'sha1', defaultBits: 96 },
  'hmac(sha256)': { hash: 'sha256', defaultBits: 96 },
  sha256: { hash: 'sha256', defaultBits: 96 },
  'hmac(sha384)': { hash: 'sha384', defaultBits: 192 },
  sha384: { hash: 'sha384', defaultBits: 192 },
  'hmac(sha512)': { hash: 'sha512', defaultBits: 256 },
  sha512: { hash: 'sha512', defaultBits: 256 },
  'hmac(md5)': { hash: 'md5', defaultBits: 96 },
  md5: { hash: 'md5', defaultBits: 96 },
  digest_null: { hash: null, defaultBits: 0 },
};
/** Names the kernel knows that the decryptor does not run, with what they are. */
const UNSUPPORTED: Record<string, string> = {
  'rfc4543(gcm(aes))': 'AES-GMAC (NULL encryption with GMAC)',
  'rfc4309(ccm(aes))': 'AES-CCM',
  'rfc7539esp(chacha20,poly1305)': 'ChaCha20-Poly1305',
  'xcbc(aes)': 'AES-XCBC-MAC',
  'cmac(aes)': 'AES-CMAC',
  'cbc(des)': 'DES-CBC',
  des: 'DES-CBC',
  'cbc(cast5)': 'CAST-CBC',
  'cbc(blowfish)': 'Blowfish-CBC',
  'cbc(serpent)': 'Serpent-CBC',
  'cbc(twofish)': 'Twofish-CBC',
  'cbc(camellia)': 'Camellia-CBC',
  'hmac(rmd160)': 'HMAC-RIPEMD-160',
  'hmac(sm3)': 'HMAC-SM3',
  'cbc(sm4)': 'SM4-CBC',
};

function authBy(hash: string | null, bits: number): AuthenticationAlgorithm | undefined {
  if (hash === null) return AUTHENTICATION[0];
  return AUTHENTICATION.find((a) => a.hash === hash && a.icvLength * 8 === bits);
}

interface Block {
  line: number;
  src: string;
  dst: string;
  proto: string;
  spi: number | null;
  mode: string;
  esn: boolean;
  enc?: { name: string; key: string; line: number };
  auth?: { name: string; key: string; bits: number | null; line: number };
  aead?: { name: string; key: string; icv: number; line: number };
  encap?: { type: string; sport: number; dport: number };
}

const hexKey = /^0x[0-9a-f]*$/i;

/**
 * Reads `ip xfrm state` text; `name` is the file (or "-") for messages. Throws SaFileError on text that is not xfrm
 * output.
 */
export function parseXfrmState(text: string, name: string): XfrmResult {
  const blocks: Block[] = [];
  let cur: Block | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const at = `${name}:${i + 1}`;
    if (raw.trim() === '') continue;
    // `ip -s` writes each key's size after it, "(256 bits)": not a field of its own.
    const words = raw
      .trim()
      .replace(/\(\d+ bits\)/g, ' ')
      .split(/\s+/);
    if (!/^\s/.test(raw)) {
      // A new state: "src A dst B".
      if (words[0] !== 'src' || words[2] !== 'dst' || words.length < 4)
        throw new SaFileError(`${at}: expected "src ADDRESS dst ADDRESS" (the output of ip xfrm state)`);
      cur = {
        line: i + 1,
        src: address(words[1]!, at),
        dst: address(words[3]!, at),
        proto: '',
        spi: null,
        mode: '',
        esn: false,
      };
      blocks.push(cur);
      continue;
    }
    if (!cur) throw new SaFileError(`${at}: an indented line before any "src ... dst ..." line`);
    switch (words[0]) {
      case 'proto': {
        cur.proto = words[1] ?? '';
        const spiAt = words.indexOf('spi');
        if (spiAt >= 0) {
          // `ip -s` adds the decimal: spi 0x00001001(4097).
          const m = /^0x([0-9a-f]{1,8})/i.exec(words[spiAt + 1] ?? '');
          if (!m) throw new SaFileError(`${at}: SPI "${words[spiAt + 1] ?? ''}" is not 0x and 8 hex digits`);
          cur.spi = parseInt(m[1]!, 16);
        }
        const modeAt = words.indexOf('mode');
        if (modeAt >= 0) cur.mode = words[modeAt + 1] ?? '';
        break;
      }
      case 'enc':
        cur.enc = { name: words[1] ?? '', key: words[2] ?? '', line: i + 1 };
        break;
      case 'auth':
        cur.auth = { name: words[1] ?? '', key: words[2] ?? '', bits: null, line: i + 1 };
        break;
      case 'auth-trunc':
        cur.auth = { name: words[1] ?? '', key: words[2] ?? '', bits: Number(words[3]), line: i + 1 };
        break;
      case 'aead':
        cur.aead = { name: words[1] ?? '', key: words[2] ?? '', icv: Number(words[3]), line: i + 1 };
        break;
      case 'replay-window':
        cur.esn ||= words.includes('esn');
        break;
      case 'encap':
        cur.encap = { type: words[2] ?? '', sport: Number(words[4]), dport: Number(words[6]) };
        break;
      default:
        break; // replay-window, sel, lifetime, stats, anti-replay, lastused, mark, if_id, output-mark, dir...
    }
  }
  const entries: SaEntry[] = [];
  const skipped: string[] = [];
  const encap = new Map<string, { type: string; sport: number; dport: number }>();
  for (const b of blocks) {
    const origin = `${name}:${b.line}`;
    const what =
      `${origin}: ${b.proto || 'state'}` +
      `${b.spi !== null ? ` SPI 0x${b.spi.toString(16).padStart(8, '0')}` : ''} ${b.src} ` +
      `-> ${b.dst}`;
    const why = usable(b);
    if (typeof why === 'string') {
      skipped.push(`${what}: ${why}; not used`);
      continue;
    }
    const entry: SaEntry = { origin, family: b.src.includes(':') ? 6 : 4, src: b.src, dst: b.dst, spi: b.spi, ...why };
    entries.push(entry);
    if (b.encap) encap.set(origin, b.encap);
  }
  return { entries, skipped, encap };
}

function address(text: string, at: string): string {
  if (!/^[0-9a-f.:]+$/i.test(text)) throw new SaFileError(`${at}: "${text}" is not an address`);
  return text.toLowerCase();
}

/** The algorithms and keys of an ESP state, or why it cannot be used. */
function usable(
  b: Block,
): { enc: EncryptionAlgorithm; encKey: Buffer; auth: AuthenticationAlgorithm; authKey: Buffer } | string {
  if (b.proto !== 'esp')
    return b.proto === 'ah'
      ? 'AH carries no encryption (nothing to decrypt)'
      : `protocol ${b.proto || 'unknown'} is not ESP`;
  if (b.spi === null) return 'no SPI';
  if (b.mode !== 'transport' && b.mode !== 'tunnel') return `mode ${b.mode || 'unknown'} is not supported`;
  // With ESN the ICV covers the sequence number's high half, which no packet carries.
  if (b.esn) return 'extended sequence numbers (flag esn) are not supported';
  const key = (k: { key: string; line: number }, what: string): Buffer | string => {
    if (!hexKey.test(k.key) || k.key.length % 2 !== 0)
      return (
        `line ${k.line}: the ${what} key is not 0x and hex digits (ip xfrm ` +
        `state hides keys from users without CAP_NET_ADMIN)`
      );
    return Buffer.from(k.key.slice(2), 'hex');
  };
  let enc: EncryptionAlgorithm;
  let encKey: Buffer;
  let auth: AuthenticationAlgorithm = AUTHENTICATION[0]!;
  let authKey: Buffer = Buffer.alloc(0);
  if (b.aead) {
    if (b.aead.name !== 'rfc4106(gcm(aes))')
      return (
        `line ${b.aead.line}: ${b.aead.name}${UNSUPPORTED[b.aead.name] ? ` (${UNSUPPORTED[b.aead.name]})` : ''} ` +
        `is not supported`
      );
    const name = gcmByIcv[b.aead.icv];
    if (!name) return `line ${b.aead.line}: an AES-GCM ICV of ${b.aead.icv} bits is not 64, 96 or 128`;
    enc = byName(ENCRYPTION, name);
    const k = key(b.aead, 'AEAD');
    if (typeof k === 'string') return k;
    encKey = k;
  } else {
    if (!b.enc) return 'no encryption algorithm (enc or aead line)';
    const name = ENC_NAMES[b.enc.name];
    if (!name)
      return (
        `line ${b.enc.line}: ${b.enc.name}${UNSUPPORTED[b.enc.name] ? ` (${UNSUPPORTED[b.enc.name]})` : ''} ` +
        `is not supported`
      );
    enc = byName(ENCRYPTION, name);
    const k = key(b.enc, 'encryption');
    if (typeof k === 'string') return k;
    encKey = k;
    if (b.auth) {
      const a = AUTH_NAMES[b.auth.name];
      if (!a)
        return (
          `line ${b.auth.line}: ${b.auth.name}${UNSUPPORTED[b.auth.name] ? ` (${UNSUPPORTED[b.auth.name]})` : ''} ` +
          `is not supported`
        );
      const bits = b.auth.bits ?? a.defaultBits;
      const found = authBy(a.hash, bits);
      if (!found) return `line ${b.auth.line}: ${b.auth.name} truncated to ${bits} bits is not supported`;
      auth = found;
      if (a.hash !== null) {
        const ak = key(b.auth, 'authentication');
        if (typeof ak === 'string') return ak;
        authKey = ak;
      }
    }
  }
  if (enc.kind !== 'null') {
    const cipherBytes = encKey.length - enc.saltLength;
    if (cipherBytes <= 0 || enc.cipher(cipherBytes) === null)
      return `a ${encKey.length}-byte key does not fit ${enc.name}`;
  } else encKey = Buffer.alloc(0);
  return { enc, encKey, auth, authKey };
}

/**
 * ESP algorithms by the names Wireshark's esp_sa file uses (and tcpdump's
 * -E names), with what node:crypto needs to run them.
 */
export type EncryptionKind = 'null' | 'cbc' | 'ctr' | 'gcm';

export interface EncryptionAlgorithm {
  readonly name: string;
  readonly kind: EncryptionKind;
  /** node:crypto cipher name for a key of this many bytes (without the CTR nonce or GCM salt), or null. */
  readonly cipher: (keyBytes: number) => string | null;
  /** Bytes of the IV carried in each packet. */
  readonly ivLength: number;
  /** CBC block size, for the ciphertext length check; 1 for stream modes. */
  readonly blockSize: number;
  /** Bytes of the key that are not cipher key: the CTR nonce or the GCM salt. */
  readonly saltLength: number;
  /** GCM's own ICV length (its authentication is built in). */
  readonly icvLength: number;
}

export interface AuthenticationAlgorithm {
  readonly name: string;
  /** node:crypto hash for the HMAC, or null when the ICV is not checked. */
  readonly hash: string | null;
  readonly icvLength: number;
}

const aes = (mode: string) => (n: number) => (n === 16 || n === 24 || n === 32 ? `aes-${n * 8}-${mode}` : null);
const gcm = (icv: number): EncryptionAlgorithm => ({
  name: `AES-GCM with ${icv} octet ICV [RFC4106]`,
  kind: 'gcm',
  cipher: aes('gcm'),
  ivLength: 8,
  blockSize: 1,
  saltLength: 4,
  icvLength: icv,
});

export const ENCRYPTION: EncryptionAlgorithm[] = [
  { name: 'NULL', kind: 'null', cipher: () => 'null', ivLength: 0, blockSize: 1, saltLength: 0, icvLength: 0 },
  {
    name: 'TripleDES-CBC [RFC2451]',
    kind: 'cbc',
    cipher: (n) => (n === 24 ? 'des-ede3-cbc' : null),
    ivLength: 8,
    blockSize: 8,
    saltLength: 0,
    icvLength: 0,
  },
  {
    name: 'AES-CBC [RFC3602]',
    kind: 'cbc',
    cipher: aes('cbc'),
    ivLength: 16,
    blockSize: 16,
    saltLength: 0,
    icvLength: 0,
  },
  {
    name: 'AES-CTR [RFC3686]',
    kind: 'ctr',
    cipher: aes('ctr'),
    ivLength: 8,
    blockSize: 1,
    saltLength: 4,
    icvLength: 0,
  },
  gcm(8),
  gcm(12),
  gcm(16),
];

const hmac = (name: string, hash: string, icvLength: number): AuthenticationAlgorithm => ({ name, hash, icvLength });
const unchecked = (bits: number): AuthenticationAlgorithm => ({
  name: `ANY ${bits} bit authentication [no checking]`,
  hash: null,
  icvLength: bits / 8,
});

export const AUTHENTICATION: AuthenticationAlgorithm[] = [
  { name: 'NULL', hash: null, icvLength: 0 },
  hmac('HMAC-SHA-1-96 [RFC2404]', 'sha1', 12),
  hmac('HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]', 'sha256', 12),
  hmac('HMAC-SHA-256-128 [RFC4868]', 'sha256', 16),
  hmac('HMAC-SHA-384-192 [RFC4868]', 'sha384', 24),
  hmac('HMAC-SHA-512-256 [RFC4868]', 'sha512', 32),
  hmac('HMAC-MD5-96 [RFC2403]', 'md5', 12),
  unchecked(64),
  unchecked(96),
  unchecked(128),
  unchecked(192),
  unchecked(256),
];

const normal = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Wireshark's names, case-insensitive. Older files (and strongSwan's save-keys) say "AES-GCM [RFC4106]" and give the
 * ICV's length as an unchecked authentication ("ANY 64 bit authentication [no checking]"); without one, 16 octets.
 */
export function encryptionByName(name: string, auth?: AuthenticationAlgorithm): EncryptionAlgorithm | undefined {
  const n = normal(name);
  if (n === 'aes-gcm [rfc4106]') {
    const icv = auth && auth.hash === null && auth.icvLength > 0 ? auth.icvLength : 16;
    return ENCRYPTION.find((e) => e.kind === 'gcm' && e.icvLength === icv);
  }
  return ENCRYPTION.find((e) => normal(e.name) === n);
}

export function authenticationByName(name: string): AuthenticationAlgorithm | undefined {
  const n = normal(name);
  return AUTHENTICATION.find((a) => normal(a.name) === n);
}

/** tcpdump's -E names: 3des-cbc, aes128-cbc (192, 256), null; "-hmac96" adds an unchecked 96-bit ICV. */
export function fromTcpdumpName(name: string): { enc: EncryptionAlgorithm; auth: AuthenticationAlgorithm } | undefined {
  const m = /^(3des-cbc|aes(?:128|192|256)-cbc|aes-cbc|null|none)(-hmac96)?$/i.exec(name);
  if (!m) return undefined;
  const base = m[1]!.toLowerCase();
  const enc =
    base === 'null' || base === 'none' ? ENCRYPTION[0]! : base === '3des-cbc' ? ENCRYPTION[1]! : ENCRYPTION[2]!;
  return { enc, auth: m[2] ? unchecked(96) : AUTHENTICATION[0]! };
}

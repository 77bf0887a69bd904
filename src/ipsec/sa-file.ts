import { readFileSync } from 'node:fs';
import {
  authenticationByName,
  encryptionByName,
  fromTcpdumpName,
  type AuthenticationAlgorithm,
  type EncryptionAlgorithm,
} from './algorithms.js';
import { parseIp } from '../util/ip-text.js';

/** One security association: which packets it opens and how. Keys stay in here, never in output. */
export interface SaEntry {
  /** Where it was written ("keys.txt:3"), for messages. */
  readonly origin: string;
  /** 4, 6, or 0 for either. */
  readonly family: 0 | 4 | 6;
  /** null matches any. */
  readonly src: string | null;
  readonly dst: string | null;
  readonly spi: number | null;
  readonly enc: EncryptionAlgorithm;
  readonly encKey: Buffer;
  readonly auth: AuthenticationAlgorithm;
  readonly authKey: Buffer;
}

/**
 * A line that cannot be used: the message names the file, the line and the
 * field, never a field's content: with a field missing or two swapped, any
 * field may hold a key.
 */
export class SaFileError extends Error {}

/** Said when a field that should be a name or number looks like a key. */
function shifted(text: string): string {
  return /^\s*0x[0-9a-f]{8,}\s*$/i.test(text) || text.trim().length >= 16
    ? '; it looks like a key: is a field missing or out of place?'
    : '';
}

/** Wireshark's quoted CSV: "a","b",... with "" for a quote inside a field. */
function csvFields(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] !== '"') return null;
    let v = '';
    for (i++; i < line.length; i++) {
      if (line[i] === '"' && line[i + 1] === '"') {
        v += '"';
        i++;
      } else if (line[i] === '"') break;
      else v += line[i];
    }
    if (line[i] !== '"') return null;
    out.push(v);
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i < line.length && line[i] !== ',') return null;
    i++;
  }
  return out;
}

/** 0x-prefixed hex, or the text itself as bytes (as both Wireshark and tcpdump accept). */
export function keyBytes(text: string, what: string, origin: string): Buffer {
  if (/^0x/i.test(text)) {
    const hex = text.slice(2);
    if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex))
      throw new SaFileError(`${origin}: the ${what} is not valid hexadecimal`);
    return Buffer.from(hex, 'hex');
  }
  return Buffer.from(text, 'latin1');
}

function checkKeys(e: Omit<SaEntry, 'origin'>, origin: string): void {
  if (e.enc.kind !== 'null') {
    const cipherBytes = e.encKey.length - e.enc.saltLength;
    if (cipherBytes <= 0 || e.enc.cipher(cipherBytes) === null) {
      throw new SaFileError(`${origin}: a ${e.encKey.length}-byte key does not fit ${e.enc.name}`);
    }
  }
  if (e.auth.hash !== null && e.authKey.length === 0)
    throw new SaFileError(`${origin}: ${e.auth.name} needs an authentication key`);
}

/**
 * An SA's source or destination as Wireshark's esp_sa takes one: an address, `*` for any (null), an IPv4 address with
 * `*` for whole bytes (`192.0.2.*`), or a network (`192.0.2.0/24`, `2001:db8::/32`); of the line's family, if it
 * names one.
 */
function address(text: string, origin: string, field: string, family: 0 | 4 | 6 = 0): string | null {
  const t = text.trim().toLowerCase();
  if (t === '*' || t === '') return null;
  const m = t.length <= 49 ? addressMatcher(t) : null;
  if (!m) throw new SaFileError(`${origin}: ${field} is not an address, a network or * for any${shifted(t)}`);
  if (family !== 0 && m.family !== family)
    throw new SaFileError(`${origin}: ${field} is not an IPv${family} address, as field 1 says${shifted(t)}`);
  return t;
}

/** How a packet's address (as gredump writes it) is tested against a pattern address() took; null if none. */
export function addressMatcher(pattern: string): { family: 4 | 6; test: (addr: string) => boolean } | null {
  const slash = pattern.indexOf('/');
  const base = slash < 0 ? pattern : pattern.slice(0, slash);
  if (base.includes('*')) {
    const parts = base.split('.');
    if (slash >= 0 || parts.length !== 4 || !parts.every((p) => p === '*' || byteText(p))) return null;
    return {
      family: 4,
      test: (addr) => {
        const a = addr.split('.');
        return a.length === 4 && parts.every((p, i) => p === '*' || Number(p) === Number(a[i]));
      },
    };
  }
  const net = parseIp(base);
  if (!net) return null;
  const bits =
    slash < 0 ? net.length * 8 : /^[0-9]{1,3}$/.test(pattern.slice(slash + 1)) ? Number(pattern.slice(slash + 1)) : -1;
  if (bits < 0 || bits > net.length * 8) return null;
  return { family: net.length === 4 ? 4 : 6, test: (addr) => withinPrefix(parseIp(addr), net, bits) };
}

/** Whether the first `bits` bits of an address are the network's (of the same family). */
function withinPrefix(addr: Uint8Array | null, net: Uint8Array, bits: number): boolean {
  if (!addr || addr.length !== net.length) return false;
  for (let i = 0; i < bits; i += 8) {
    const mask = bits - i >= 8 ? 0xff : (0xff << (8 - (bits - i))) & 0xff;
    if ((addr[i >> 3]! & mask) !== (net[i >> 3]! & mask)) return false;
  }
  return true;
}

const byteText = (p: string): boolean => /^[0-9]{1,3}$/.test(p) && Number(p) < 256;

function spiOf(text: string, origin: string, field: string): number | null {
  const t = text.trim();
  if (t === '*') return null;
  const n = /^0x[0-9a-f]{1,8}$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d{1,10}$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n > 0xffffffff)
    throw new SaFileError(`${origin}: ${field} is not a 32-bit number${shifted(t)}`);
  return n;
}

/** Wireshark's esp_sa file: one SA a line, "#" comments. */
export function parseEspSa(text: string, name: string): SaEntry[] {
  const out: SaEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const origin = `${name}:${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const f = csvFields(line);
    if (!f || f.length < 8)
      throw new SaFileError(
        `${origin}: expected 8 quoted fields ("IPv4","src","dst","0xSPI","cipher","0xkey","integrity","0xkey")`,
      );
    const family = /^ipv4$/i.test(f[0]!)
      ? 4
      : /^ipv6$/i.test(f[0]!)
        ? 6
        : f[0] === '*' || /^any$/i.test(f[0]!)
          ? 0
          : -1;
    if (family < 0) throw new SaFileError(`${origin}: field 1 (protocol) is not IPv4, IPv6 or *${shifted(f[0]!)}`);
    const auth = authenticationByName(f[6]!);
    const enc = encryptionByName(f[4]!, auth);
    if (!enc)
      throw new SaFileError(
        `${origin}: field 5 (encryption algorithm) is not one gredump knows (Wireshark's names)${shifted(f[4]!)}`,
      );
    if (!auth)
      throw new SaFileError(
        `${origin}: field 7 (authentication algorithm) is not one gredump knows (Wireshark's names)${shifted(f[6]!)}`,
      );
    const e = {
      family: family as 0 | 4 | 6,
      src: address(f[1]!, origin, 'field 2 (source address)', family as 0 | 4 | 6),
      dst: address(f[2]!, origin, 'field 3 (destination address)', family as 0 | 4 | 6),
      spi: spiOf(f[3]!, origin, 'field 4 (SPI)'),
      enc,
      encKey: keyBytes(f[5]!, 'encryption key', origin),
      auth,
      authKey: auth.hash ? keyBytes(f[7]!, 'authentication key', origin) : Buffer.alloc(0),
    };
    checkKeys(e, origin);
    out.push({ origin, ...e });
  });
  return out;
}

/** One line of a tcpdump -E specification, and where it came from. */
export interface TcpdumpLine {
  text: string;
  origin: string;
}

/** What a tcpdump -E specification gives: ESP SAs, and IKEv2 lines (the keyword taken off) for ikev2-keys.ts. */
export interface TcpdumpSecrets {
  esp: SaEntry[];
  ikev2: TcpdumpLine[];
}

/**
 * tcpdump's -E forms (print-esp.c, esp_decodesecret_print): pieces separated by commas or newlines, each
 * "spi@dst algo:secret", "algo:secret" for any SA, an "ikev2" line of IKEv2 keys, or "file NAME" with one such line a
 * line. Each file is read once (it may be a pipe).
 */
export function readTcpdumpSecrets(spec: string, name = '-E'): TcpdumpSecrets {
  const lines: TcpdumpLine[] = [];
  spec.split(/[,\n]/).forEach((piece, i) => {
    const text = piece.trim();
    if (text === '') return;
    const file = /^file\s+/i.exec(text);
    if (!file) {
      lines.push({ text, origin: `${name} #${i + 1}` });
      return;
    }
    const path = text.slice(file[0].length);
    readKeyFile(path, (content) =>
      content.split(/\r?\n/).forEach((l, n) => {
        if (l.trim() !== '' && !l.trim().startsWith('#')) lines.push({ text: l.trim(), origin: `${path}:${n + 1}` });
      }),
    );
  });
  const out: TcpdumpSecrets = { esp: [], ikev2: [] };
  for (const l of lines) {
    if (IKEV2_LINE.test(l.text)) out.ikev2.push({ text: l.text.replace(IKEV2_LINE, ''), origin: l.origin });
    else out.esp.push(tcpdumpEntry(l.text, l.origin));
  }
  return out;
}

/** tcpdump's keyword for a line of IKEv2 keys (compared without case). */
const IKEV2_LINE = /^ikev2\s+/i;

/** The ESP SAs of a tcpdump -E specification (see readTcpdumpSecrets). */
export const parseTcpdumpSecrets = (spec: string, name = '-E'): SaEntry[] => readTcpdumpSecrets(spec, name).esp;

function tcpdumpEntry(text: string, origin: string): SaEntry {
  const m = /^(?:(\S+)@(\S+)\s+)?([a-z0-9-]+):(\S+)$/i.exec(text);
  if (!m) throw new SaFileError(`${origin}: expected "spi@address algorithm:secret"`);
  const algos = fromTcpdumpName(m[3]!);
  // Not quoted: written "secret:algo", what is before the ":" is the secret.
  if (!algos)
    throw new SaFileError(
      `${origin}: the algorithm (before the ":") is not one gredump knows ` +
        `(3des-cbc, aes128-cbc, aes192-cbc, aes256-cbc, null, each optionally ` +
        `-hmac96)${m[4] && fromTcpdumpName(m[4]) ? '; the algorithm and the secret seem swapped' : ''}`,
    );
  const e = {
    family: 0 as const,
    src: null,
    dst: m[2] ? address(m[2], origin, 'the address (after "@")') : null,
    spi: m[1] ? spiOf(m[1], origin, 'the SPI (before "@")') : null,
    enc: algos.enc,
    encKey: keyBytes(m[4]!, 'secret', origin),
    auth: algos.auth,
    authKey: Buffer.alloc(0),
  };
  checkKeys(e, origin);
  return { origin, ...e };
}

/** Reads a key file, saying which file when it cannot. */
export function readKeyFile<T>(path: string, parse: (text: string) => T): T {
  let text: string;
  try {
    // A byte-order mark (an editor's UTF-8) is not part of the first line.
    text = readFileSync(path, 'latin1').replace(/^\xef\xbb\xbf/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SaFileError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot be read'}`,
    );
  }
  return parse(text);
}

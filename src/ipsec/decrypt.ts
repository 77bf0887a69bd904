import { crypto } from '../util/crypto.js';
import type { SaEntry } from './sa-file.js';
import { plausibleInner } from './esp-null.js';

export type OpenFailure = 'too-short' | 'bad-length' | 'icv-bad' | 'bad-trailer';

export type OpenResult =
  /** plain: the payload decrypted, trailer and all (as tshark's decrypted data); the inner packet is [0, innerEnd). */
  | { ok: true; plain: Uint8Array; innerEnd: number; nextHeader: number; padLength: number; icv: 'good' | 'unchecked' }
  | { ok: false; reason: OpenFailure };

/**
 * Opens one ESP packet (RFC 4303) with an SA: checks the ICV (HMAC over
 * header, IV and ciphertext; GCM's tag), decrypts, and reads the trailer.
 * When nothing checked the ICV, the trailer's padding and an inner header
 * that makes sense are what tell a right key from a wrong one, so garbage
 * is never dissected as traffic. `esp` is the packet from the SPI on.
 */
export function openEsp(sa: SaEntry, esp: Uint8Array): OpenResult {
  const gcm = sa.enc.kind === 'gcm';
  const icvLength = gcm ? sa.enc.icvLength : sa.auth.icvLength;
  const ivStart = 8;
  const dataStart = ivStart + sa.enc.ivLength;
  const dataEnd = esp.length - icvLength;
  if (dataEnd - dataStart < 2) return { ok: false, reason: 'too-short' };
  let icv: 'good' | 'unchecked' = 'unchecked';
  if (!gcm && sa.auth.hash !== null) {
    const mac = crypto()
      .createHmac(sa.auth.hash, sa.authKey)
      .update(esp.subarray(0, dataEnd))
      .digest()
      .subarray(0, icvLength);
    if (!crypto().timingSafeEqual(mac, esp.subarray(dataEnd))) return { ok: false, reason: 'icv-bad' };
    icv = 'good';
  }
  const iv = esp.subarray(ivStart, dataStart);
  const data = esp.subarray(dataStart, dataEnd);
  let plain: Uint8Array;
  switch (sa.enc.kind) {
    case 'null':
      plain = data;
      break;
    case 'cbc': {
      if (data.length % sa.enc.blockSize !== 0) return { ok: false, reason: 'bad-length' };
      const d = crypto().createDecipheriv(sa.enc.cipher(sa.encKey.length)!, sa.encKey, iv).setAutoPadding(false);
      plain = Buffer.concat([d.update(data), d.final()]);
      break;
    }
    case 'ctr': {
      // RFC 3686: the key's last 4 bytes are the nonce; counter block = nonce | IV | 1.
      const key = sa.encKey.subarray(0, sa.encKey.length - 4);
      const block = Buffer.concat([sa.encKey.subarray(sa.encKey.length - 4), iv, Buffer.from([0, 0, 0, 1])]);
      const d = crypto().createDecipheriv(sa.enc.cipher(key.length)!, key, block);
      plain = Buffer.concat([d.update(data), d.final()]);
      break;
    }
    case 'gcm': {
      // RFC 4106: the key's last 4 bytes are the salt; nonce = salt | IV; SPI and sequence are authenticated data.
      const key = sa.encKey.subarray(0, sa.encKey.length - 4);
      const nonce = Buffer.concat([sa.encKey.subarray(sa.encKey.length - 4), iv]);
      const d = crypto().createDecipheriv(sa.enc.cipher(key.length)! as 'aes-128-gcm', key, nonce, {
        authTagLength: icvLength,
      });
      d.setAAD(esp.subarray(0, 8));
      d.setAuthTag(esp.subarray(dataEnd));
      try {
        plain = Buffer.concat([d.update(data), d.final()]);
      } catch {
        return { ok: false, reason: 'icv-bad' };
      }
      icv = 'good';
      break;
    }
  }
  const padLength = plain[plain.length - 2]!;
  const nextHeader = plain[plain.length - 1]!;
  const innerEnd = plain.length - 2 - padLength;
  if (innerEnd < 0) return { ok: false, reason: 'bad-trailer' };
  for (let i = 0; i < padLength; i++) if (plain[innerEnd + i] !== i + 1) return { ok: false, reason: 'bad-trailer' };
  const inner = plain.subarray(0, innerEnd);
  // Without a checked ICV, a wrong key still passes the padding test now and then: ask the inner header too.
  if (icv === 'unchecked' && nextHeader !== 59) {
    const dv = new DataView(inner.buffer, inner.byteOffset, inner.byteLength);
    if (!plausibleInner(nextHeader, inner, dv, 0, inner.length)) return { ok: false, reason: 'bad-trailer' };
  }
  return { ok: true, plain, innerEnd, nextHeader, padLength, icv };
}

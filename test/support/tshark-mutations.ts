/**
 * Mutated captures read by tshark and by gredump, compared by their -V lines: what test/bgp.test.ts holds BGP to, and
 * what `npm run tshark-mutations` asks of any protocol.
 */

/**
 * `count` mutations, in turn, of the frames `pick` takes (by number) of a classic little-endian pcap, as a pcap: in
 * each, 1 to 4 bytes at or after `from(frame)` changed, often to 0, 0xff or a small number (lengths, types), and one
 * frame in seven cut by the capture inside what is mutated. The same bytes for the same seed.
 */
export function mutatedCapture(
  file: Buffer,
  pick: (frame: number) => boolean,
  count: number,
  seed: number,
  from: (data: Buffer) => number,
): Buffer {
  if (file.length < 24 || file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian classic pcap');
  const records: Buffer[] = [];
  for (let off = 24, n = 1; off + 16 <= file.length; n++) {
    const size = 16 + file.readUInt32LE(off + 8);
    if (pick(n)) records.push(Buffer.from(file.subarray(off, off + size)));
    off += size;
  }
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = [file.subarray(0, 24)];
  for (let i = 0; i < count && records.length > 0; i++) {
    const record = Buffer.from(records[i % records.length]!);
    const data = record.subarray(16);
    const start = from(data);
    if (data.length <= start) {
      out.push(record);
      continue;
    }
    for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
      const x = random();
      data[start + Math.floor(random() * (data.length - start))] =
        x < 0.3 ? 0 : x < 0.45 ? 0xff : x < 0.6 ? Math.floor(random() * 20) : Math.floor(random() * 256);
    }
    if (random() < 0.15) {
      const caplen = start + Math.floor(random() * (data.length - start));
      record.writeUInt32LE(caplen, 8);
      out.push(record.subarray(0, 16 + caplen));
    } else out.push(record);
  }
  return Buffer.concat(out);
}

/**
 * Each frame's -V lines of the top-level items whose title begins with one of `titles` (each title as `TITLE`: the
 * two tools word them differently), without expert items and the marks of an exception.
 */
export function linesByFrame(text: string, titles: readonly string[]): Map<number, string[]> {
  const frames = new Map<number, string[]>();
  let lines: string[] | null = null;
  let inside = false;
  let skipUnder = -1;
  for (const line of text.split('\n')) {
    const frame = /^Frame (\d+):/.exec(line);
    if (frame) {
      frames.set(Number(frame[1]), (lines = []));
      inside = false;
      continue;
    }
    if (lines === null || line.trim() === '' || /^[0-9a-f]{4} {2}/.test(line)) continue;
    if (!line.startsWith(' ')) {
      inside = titles.some((t) => line.startsWith(t));
      skipUnder = -1;
      if (inside) lines.push('TITLE');
      continue;
    }
    const indent = line.search(/\S/);
    if (!inside || (skipUnder >= 0 && indent > skipUnder)) continue;
    skipUnder = -1;
    if (/^\[(Expert Info|Malformed|Packet size limited|BoundError)/.test(line.trim())) skipUnder = indent;
    else lines.push(line);
  }
  return frames;
}

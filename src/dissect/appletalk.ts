import { NO_FIELDS } from './field.js';
import { jsonMembers } from './json.js';
import { protocol } from './packet.js';

/**
 * AppleTalk in GRE (protocol 0x809B): named, not dissected, and no fields
 * declared: tshark 4.0, the oracle for them, does not read AppleTalk inside
 * GRE (and reads EtherType 0x809B as LocalTalk-framed EtherTalk phase 1).
 */
export const appletalk = protocol({
  name: 'appletalk',
  dissect(_ctx, l) {
    l.hdrEnd = l.off;
  },
  json: jsonMembers(NO_FIELDS, [{ name: 'length', value: (l) => l.end - l.off }]),
  summary: (l, out) => out.str(`AppleTalk ${l.end - l.off} bytes`),
});

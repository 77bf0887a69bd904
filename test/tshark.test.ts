import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import { diff, ourFields, tsharkAvailable, tsharkFields } from './support/tshark.js';
import { capturesUnder, CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';

/**
 * gredump against tshark, frame by frame, on the contract's fields, for every
 * capture in fixtures/ and ../shared/corpus. Where tshark and we disagree on
 * purpose, the file is listed here with why and how many fields may differ;
 * any other difference fails.
 */
const KNOWN: Record<string, { why: string; mismatches: number }> = {
  'ike-v2-child.pcap': {
    why:
      "tshark's ESP-NULL heuristic takes encrypted ESP frame 17 for NULL " +
      'ESP carrying GRE (malformed); decrypted with its real key it is a UDP datagram',
    mismatches: 2,
  },
  'ndpi/ipsec_isakmp_esp.pcap': {
    why:
      "tshark's ESP-NULL heuristic takes one encrypted packet (frame 115) " +
      'for NULL ESP carrying a malformed AH; we also check the inner header',
    mismatches: 1,
  },
  'zeek/trunc__ipv4-internally-truncated-header.pcap': {
    why: 'tshark drops the destination of an IPv4 header whose options were cut; we keep both addresses',
    mismatches: 1,
  },
  'zeek/trunc__mpls-6in6-broken.pcap': {
    why:
      'tshark drops the destination of an IPv4 header cut short inside its ' +
      'options (as in trunc__ipv4-internally-truncated-header)',
    mismatches: 2,
  },
  'zeek/tunnels__gre-aruba-amsdu.pcap': {
    why: 'A-MSDU aggregates (several packets in one 802.11 frame) are not split',
    mismatches: 2,
  },
};

const haveTshark = tsharkAvailable();
const files = [...capturesUnder(FIXTURES), ...capturesUnder(CORPUS)];

test('tshark oracle: the contract fields agree frame by frame', {
  skip: haveTshark ? false : 'tshark is not installed (apt-get install tshark)',
}, async () => {
  assert.ok(files.length > 0, 'no captures found in fixtures/ or ../shared/corpus');
  if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: comparing fixtures/ only`);
  const failures: string[] = [];
  let compared = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const name = file.startsWith(CORPUS) ? relative(CORPUS, file) : relative(FIXTURES, file);
      const theirs = await tsharkFields(file);
      const mismatches = diff(theirs, ourFields(file));
      compared++;
      const known = KNOWN[name];
      if (known ? mismatches.length > known.mismatches : mismatches.length > 0) {
        failures.push(`${name}: ${mismatches.length} fields differ, e.g. ${JSON.stringify(mismatches.slice(0, 2))}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(`# compared ${compared} captures with tshark; ${Object.keys(KNOWN).length} known divergences`);
  assert.deepEqual(failures, []);
});

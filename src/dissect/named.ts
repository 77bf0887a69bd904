import type { Protocol } from './packet.js';
import { jsonRest } from './json.js';

/** Payloads we name but do not dissect (IPX, AppleTalk): shown as data. */
function named(name: string, label: string): Protocol {
  return {
    name,
    dissect(_ctx, l) {
      l.hdrEnd = l.off;
    },
    json: jsonRest((l) => ({ length: l.end - l.off })),
    summary: (l, out) => out.str(`${label} ${l.end - l.off} bytes`),
  };
}

export const ipx = named('ipx', 'IPX');
export const appletalk = named('appletalk', 'AppleTalk');

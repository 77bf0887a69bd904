import type { DmvpnCloud } from '../tunnels/dmvpn.js';
import { plural } from '../util/words.js';

/**
 * The DMVPN section of the text report: each cloud as one multipoint
 * tunnel, its hubs and spokes, who resolved whom, the hub's redirects, the
 * shortcuts that followed and the traffic that went through the hub.
 * Everything written is an address, a number or our own words.
 */
export function dmvpnText(clouds: DmvpnCloud[], badge: (p: string) => string, color: boolean): string[] {
  const out: string[] = [`DMVPN (${clouds.length} ${clouds.length === 1 ? 'cloud' : 'clouds'})`];
  for (const c of clouds) {
    const hubs = c.hubs.map((h) => `${h.nbma}${h.tunnel ? ` (tunnel ${h.tunnel})` : ''}`).join(', ') || 'not seen';
    out.push(
      `  ${badge(c.protection).padEnd(color ? 26 : 14)} cloud ${c.cloud}: ` +
        `hub ${hubs}, ${plural(c.spokes.length, 'spoke')}, one multipoint ` +
        `tunnel ` +
        `over ${plural(c.tunnels.length, 'GRE pair')}${c.tunnels.length ? ` (tunnel ${c.tunnels.join(', ')})` : ''}`,
    );
    for (const sp of c.spokes) {
      const r = sp.registration;
      const where =
        `${sp.nbma ?? sp.outside}` +
        `${sp.natAddress ? ` behind NAT ${sp.natAddress}${sp.natT ? ' (NAT-T)' : ''}` : ''}`;
      let state: string;
      if (r.state === 'accepted') state = `registered with ${r.hub}${r.holdingTime ? `, hold ${r.holdingTime}s` : ''}`;
      else if (r.state === 'refused') state = `REFUSED by ${r.hub}: code ${r.code} (${r.codeText})`;
      else if (r.state === 'requested') state = `${plural(r.requests, 'registration request')}, no reply`;
      else state = 'no registration seen';
      if (r.replies > 0 && r.unanswered > 0)
        state += `; ${r.unanswered} of ${plural(r.requests, 'request')} unanswered`;
      out.push(`      spoke ${sp.tunnel} at ${where}: ${state}`);
    }
    for (const r of c.resolutions) {
      const via = r.forwardedBy.length ? ` via ${r.forwardedBy.join(', ')}` : '';
      let result: string;
      if (r.answer)
        result =
          r.answer.code === 0
            ? `${r.answer.prefix} is ` +
              `at ${r.answer.nbma}${r.answer.tunnel && r.answer.tunnel !== r.for ? ` (${r.answer.tunnel})` : ''}, ` +
              `answered by ${r.answer.by} in ${r.rttMs} ms`
            : `${r.answer.codeText}, from ${r.answer.by}`;
      else if (r.error) result = `error from ${r.error.from}: ${r.error.text}`;
      else result = r.unanswered ? 'no reply' : 'no reply yet (capture ended)';
      out.push(`      resolution ${r.id}: ${r.from} at ${r.fromNbma} asked for ${r.for}${via}: ${result}`);
    }
    for (const t of c.trafficIndications) {
      const then =
        t.resolved === null
          ? 'no resolution followed'
          : `resolution ${t.resolved}${t.shortcut ? ', shortcut up' : ', no shortcut'}`;
      out.push(`      redirect: hub ${t.hub} told ${t.to} at ${t.toNbma} about ${t.packet ?? 'a packet'}: ${then}`);
    }
    for (const s of c.shortcuts)
      out.push(
        `      shortcut ${s.tunnels[0]} <-> ${s.tunnels[1]} (${s.between[0]} ` +
          `<-> ${s.between[1]}): ${plural(s.packets, 'packet')}`,
      );
    for (const v of c.viaHub)
      out.push(
        `      through hub ${v.hub}: ${v.from} ` +
          `-> ${v.to}, ${plural(v.packets, 'packet')} ` +
          `(${v.flows.slice(0, 3).join(', ')})${v.shortcutFollowed ? ', then a shortcut' : ', no shortcut'}`,
      );
    for (const e of c.errors)
      out.push(
        `      error indication: ${e.from} -> ${e.to ?? e.toNbma}: ` +
          `code ${e.code} (${e.text})${e.about ? ` about ${e.about}` : ''}`,
      );
    out.push(`      NHRP: ${plural(c.nhrpPackets, 'packet')}, ${c.nhrpAuthenticated} with an authentication extension`);
  }
  return out;
}

import type { EspPeers } from '../tunnels/esp-table.js';
import { WEAK_GROUPS, ikeSaState, type IkeReflection, type IkeSaRecord } from '../tunnels/ike.js';
import { DH_SHORT } from '../dissect/isakmp-names.js';
import { CATALOGUE, type Finding, type FindingId } from './catalogue.js';
import { plural } from '../util/words.js';

/**
 * The IKE findings of one peer pair. Each is a claim about what the
 * capture shows, so each needs its evidence: a weak algorithm or group
 * that was chosen (not merely offered), aggressive mode whose responder
 * hash crossed, a failure not followed by success.
 */
function finding(id: FindingId, message: string, subject: string): Finding {
  const k = CATALOGUE[id];
  return { id, severity: k.severity, message, advice: k.advice, subject };
}

const label = (sa: IkeSaRecord) => `IKEv${sa.version} SA ${sa.ispi} (${sa.initiator} -> ${sa.responder})`;

/** The findings of a pair's IKE SAs, but those of a reflection (see reflectionFinding). */
export function ikeFindings(p: EspPeers, reflected: ReadonlySet<IkeSaRecord>): Finding[] {
  const out: Finding[] = [];
  const subject = `IKE ${p.endpoints[0]} <-> ${p.endpoints[1]}`;
  const sas = [...p.ikeLog.sas.values()].filter((sa) => !reflected.has(sa)).sort((a, b) => a.firstSeen - b.firstSeen);
  const v1 = sas.filter((sa) => sa.version === 1);
  if (v1.length)
    out.push(
      finding(
        'ikev1',
        `${p.endpoints[0]} and ${p.endpoints[1]} negotiate with IKEv1 (${plural(v1.length, 'IKE SA')})`,
        subject,
      ),
    );
  for (const sa of sas) {
    const { state, why } = ikeSaState(sa);
    if (sa.aggressive && sa.psk && sa.aggressiveHash) {
      out.push(
        finding(
          'ike-aggressive-psk',
          `${label(sa)}: aggressive mode with a pre-shared key; the responder's hash crossed in clear`,
          subject,
        ),
      );
    }
    if (sa.chosenGroup >= 0 && WEAK_GROUPS.has(sa.chosenGroup)) {
      out.push(
        finding(
          'ike-weak-group',
          `${label(sa)}: DH group ${sa.chosenGroup} (${DH_SHORT[sa.chosenGroup]}) chosen`,
          subject,
        ),
      );
    }
    if (sa.weakChosen.length)
      out.push(
        finding(
          'ike-weak-cipher',
          `${label(sa)}: ${sa.weakChosen.join(', ')} chosen (${sa.chosen ?? 'child SA'})`,
          subject,
        ),
      );
    if (state === 'failed') {
      // A failure another IKE SA between the same peers overcame later is part of a negotiation that went on: one that
      // came up, or, after a failed IKE_SA_INIT (INVALID_KE_PAYLOAD asks for a retry), one whose IKE_AUTH was answered.
      const initFailed = sa.version === 2 && sa.errors.at(-1)?.exchange === 'IKE_SA_INIT';
      const recovered = sas.some(
        (o) =>
          o !== sa &&
          o.firstSeen >= sa.firstSeen &&
          (ikeSaState(o).state === 'up' || (initFailed && o.version === 2 && o.authAnswered)),
      );
      if (!recovered) out.push(finding('ike-failed', `${label(sa)} failed: ${why}`, subject));
    }
    if (state === 'up') {
      const refused = sa.children.filter((c) => c.error !== null);
      const made = sa.children.filter((c) => c.responderSpi !== null);
      if (refused.length && !made.length) {
        out.push(
          finding(
            'ike-no-child-sa',
            `${label(sa)} is up but its child SA was ` +
              `refused: ${[...new Set(refused.map((c) => `${c.error} in ${c.exchange}`))].join(', ')}`,
            subject,
          ),
        );
      }
    }
  }
  return out;
}

/** One reflection (see ikeReflections): who was flooded, by how many hosts, through which SPIs. */
export function reflectionFinding(r: IkeReflection): Finding {
  const answers = r.versions.length === 1 ? `IKEv${r.versions[0]} answer` : 'IKE answer';
  return finding(
    'ike-reflection',
    `${r.target} was sent ${plural(r.answers, answers)} by ${plural(r.responders, 'host')}, ` +
      `all to ${spisText(r.ispis)}, ` +
      `and no request with ${r.ispis.length === 1 ? 'it' : 'them'} was sent in this capture`,
    reflectionSubject(r.target),
  );
}

/** What an IKE reflection's finding is about: the flooded host. */
export function reflectionSubject(target: string): string {
  return `IKE to ${target}`;
}

/** "initiator SPI X", or "N initiator SPIs (X, Y, Z, ...)": the first of `count` SPIs. */
export function spisText(ispis: readonly string[], count = ispis.length): string {
  if (count === 1) return `initiator SPI ${ispis[0]}`;
  return `${count} initiator SPIs (${ispis.slice(0, 3).join(', ')}${count > 3 ? ', ...' : ''})`;
}

import {
  exchangeName,
  isInitiator,
  isResponse,
  isV2,
  proposalText,
  type IkeMessage,
  type IkeProposal,
} from '../dissect/isakmp.js';
import { DH_SHORT, EXCHANGES_SHORT_V1, PSK_METHODS, notifyName } from '../dissect/isakmp-names.js';

/**
 * IKE as a story, per peer pair and per IKE SA (initiator SPI): what was
 * offered, what was chosen, what failed and why, whether the IKE SA came
 * up, and the child SAs (with the ESP SPIs they made) where the messages
 * can be read (IKEv2 IKE_AUTH and CREATE_CHILD_SA once decrypted). Plain
 * data only, so a worker thread's table arrives as a structured clone and
 * merges with mergeIke().
 */

/** Bounds: a pair with thousands of IKE SAs keeps the first ones. */
const IKE_LIMITS = { sasPerPeer: 256, eventsPerSa: 24, offersPerSa: 8, childrenPerSa: 32 } as const;

export interface IkeEvent {
  ts: number;
  from: string;
  text: string;
}

export interface ChildSa {
  /** The exchange that made it: IKE_AUTH, CREATE_CHILD_SA (or Quick when readable). */
  exchange: string;
  ts: number;
  /** ESP (or AH) SPIs as 8 hex digits: the initiator's (inbound to it) and the responder's. */
  initiatorSpi: string | null;
  responderSpi: string | null;
  proposal: string | null;
  /** Transport when both sides said USE_TRANSPORT_MODE (IKEv2), else tunnel; null until answered. */
  mode: 'transport' | 'tunnel' | null;
  transportRequested: boolean;
  /** The error notify that refused it, or null. */
  error: string | null;
  /** The SPI of the child SA this one rekeys (N(REKEY_SA)), or null. */
  rekeys: string | null;
  answered: boolean;
  /** Answered by a message that stayed encrypted. */
  unread?: boolean;
}

export interface IkeSaRecord {
  ispi: string;
  rspi: string;
  version: number;
  initiator: string;
  responder: string;
  firstSeen: number;
  lastSeen: number;
  packets: number;
  /** Requests the initiator sent (IKEv2: not responses; IKEv1: not Informationals), and messages the responder sent. */
  requests: number;
  answers: number;
  /** Messages whose payloads we could not read (encrypted, no key). */
  encrypted: number;
  /** Messages opened with the run's IKEv2 keys. */
  decrypted: number;
  events: IkeEvent[];
  offered: string[];
  chosen: string | null;
  offeredGroups: number[];
  /** The group of the key exchange the responder answered with (IKEv2 KE) or chose (IKEv1 SA); -1 unknown. */
  chosenGroup: number;
  /** Weak algorithms in what was chosen, by name (DES, 3DES, MD5, SHA-1). */
  weakChosen: string[];
  aggressive: boolean;
  /** IKEv1 authentication by pre-shared key was offered or chosen. */
  psk: boolean;
  /** The responder answered aggressive mode with its HASH: the crackable part was on the wire. */
  aggressiveHash: boolean;
  errors: { type: number; name: string; exchange: string; from: string; ts: number }[];
  /** Exchange names seen, with how many messages each. */
  exchanges: Record<string, number>;
  /** IKEv2 IKE_AUTH answered without error (decrypted: AUTH payload seen). */
  authOk: boolean;
  /** IKEv2: IKE_AUTH response seen (encrypted or not). */
  authAnswered: boolean;
  /** IKEv2: the IKE_AUTH response, read, had no AUTH payload: why (its error notify), or null. */
  authRefused: string | null;
  /** IKEv1: phase 1 finished (see ikev1Phase1Proof). */
  phase1Done: boolean;
  /** Exchanges under the SA after its authentication (INFORMATIONAL, CREATE_CHILD_SA, Quick Mode). */
  later: number;
  deleted: boolean;
  children: ChildSa[];
}

export interface IkeLog {
  sas: Map<string, IkeSaRecord>;
  dropped: number;
}

export const newIkeLog = (): IkeLog => ({ sas: new Map(), dropped: 0 });

/** DH groups current guidance (RFC 8247) rates too weak: MODP below 2048 bits and the small-subgroup MODP groups. */
export const WEAK_GROUPS = new Set([1, 2, 5, 22, 23, 24]);

/** Weak algorithms of a proposal, by name (RFC 8247: DES, 3DES, MD5, SHA-1 as integrity or PRF). */
function weakAlgorithms(m: IkeMessage, p: IkeProposal): string[] {
  const out = new Set<string>();
  for (const t of p.transforms) {
    if (isV2(m)) {
      if (t.type === 1 && (t.id === 1 || t.id === 2 || t.id === 9)) out.add('DES');
      if (t.type === 1 && t.id === 3) out.add('3DES');
      if ((t.type === 2 && t.id === 1) || (t.type === 3 && (t.id === 1 || t.id === 4 || t.id === 6))) out.add('MD5');
      if ((t.type === 2 && t.id === 2) || (t.type === 3 && (t.id === 2 || t.id === 7))) out.add('SHA-1');
    } else if (p.protoId === 1) {
      for (const a of t.attrs) {
        if (a.type === 1 && a.value === 1) out.add('DES');
        if (a.type === 1 && a.value === 5) out.add('3DES');
        if (a.type === 2 && a.value === 1) out.add('MD5');
        if (a.type === 2 && a.value === 2) out.add('SHA-1');
      }
    } else {
      if (p.protoId === 3 && (t.id === 1 || t.id === 2 || t.id === 9)) out.add('DES');
      if (p.protoId === 3 && t.id === 3) out.add('3DES');
      if (p.protoId === 2 && t.id === 2) out.add('MD5');
      if (p.protoId === 2 && t.id === 3) out.add('SHA-1');
      for (const a of t.attrs) {
        if (a.type === 5 && a.value === 1) out.add('MD5');
        if (a.type === 5 && a.value === 2) out.add('SHA-1');
      }
    }
  }
  return [...out];
}

/** The DH groups a proposal names (IKEv2 D-H transforms, IKEv1 Group-Description attributes). */
function groupsOf(m: IkeMessage, p: IkeProposal): number[] {
  const out: number[] = [];
  for (const t of p.transforms) {
    if (isV2(m) && t.type === 4) out.push(t.id);
    if (!isV2(m))
      for (const a of t.attrs) if ((p.protoId === 1 ? a.type === 4 : a.type === 3) && a.value >= 0) out.push(a.value);
  }
  return out;
}

const pskIn = (p: IkeProposal): boolean =>
  p.protoId === 1 && p.transforms.some((t) => t.attrs.some((a) => a.type === 3 && PSK_METHODS.has(a.value)));

/** IKEv1 notify types below 8192 and IKEv2 types below 16384 are errors. */
const isError = (version: number, type: number): boolean => (version === 2 ? type < 16384 : type < 8192);

const USE_TRANSPORT_MODE = 16391;
/**
 * IKEv2 errors that end the IKE SA itself, not a child: critical payload, major version, syntax, authentication, CP,
 * authorisation.
 */
const IKE_SA_ERRORS = new Set([1, 4, 5, 7, 9, 24, 36, 37, 46]);
const REKEY_SA = 16393;

const IKEV1_MAIN = 2;
const IKEV1_AGGRESSIVE = 4;
const IKEV1_INFORMATIONAL = 5;
const IKEV1_QUICK = 32;

/**
 * What shows that IKEv1's phase 1 finished: quick mode; main mode's sixth message (the responder's, encrypted);
 * aggressive mode's third (the initiator's after the responder's, encrypted or without an SA payload); or, where the
 * capture holds no phase-1 exchange of the SA (it began later), an encrypted Informational. Not an encrypted
 * Informational after a phase 1 that did not finish: a responder that cannot open the fifth message (a pre-shared key
 * that differs) answers with one.
 */
function ikev1Phase1Proof(m: IkeMessage, sa: IkeSaRecord, response: boolean): boolean {
  switch (m.exchange) {
    case IKEV1_QUICK:
      return true;
    case IKEV1_MAIN:
      return response && m.encrypted;
    case IKEV1_AGGRESSIVE:
      return !response && sa.aggressiveHash && (m.encrypted || !m.payloads.includes(1));
    case IKEV1_INFORMATIONAL:
      return (
        m.encrypted &&
        !sa.exchanges[EXCHANGES_SHORT_V1[IKEV1_MAIN]!] &&
        !sa.exchanges[EXCHANGES_SHORT_V1[IKEV1_AGGRESSIVE]!]
      );
    default:
      return false;
  }
}

/** The latest child SA of an exchange still waiting for its answer. */
function lastOpen(children: ChildSa[], exchange: string): ChildSa | undefined {
  for (let i = children.length - 1; i >= 0; i--)
    if (children[i]!.exchange === exchange && !children[i]!.answered) return children[i];
  return undefined;
}

/** IKEv1's NO-PROPOSAL-CHOSEN (RFC 2408 3.14.1): only a responder, refusing the offer, sends it. */
const V1_NO_PROPOSAL_CHOSEN = 14;

/**
 * An IKEv1 message only the responder sends first: a main or aggressive mode message with the responder's cookie and
 * an SA proposal (its choice), or an Informational refusing every proposal.
 */
function v1ResponderAnswer(m: IkeMessage): boolean {
  if (m.exchange === 5) return m.notifies.some((n) => n.type === V1_NO_PROPOSAL_CHOSEN);
  return (
    (m.exchange === 2 || m.exchange === 4) && m.rspi !== '0000000000000000' && m.proposals.some((p) => p.protoId === 1)
  );
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  if (list.length < max) list.push(item);
}

/**
 * Takes in one IKE message sent from `src` to `dst` at `ts`. The message's
 * readable payloads are its own, or those decrypted from its SK payload.
 */
export function observeIke(log: IkeLog, m: IkeMessage, src: string, dst: string, ts: number): void {
  const v2 = isV2(m);
  let sa = log.sas.get(m.ispi);
  if (!sa) {
    if (log.sas.size >= IKE_LIMITS.sasPerPeer) {
      log.dropped++;
      return;
    }
    // IKEv2 names the original initiator in its flags. IKEv1's first message comes from the initiator, with a zero
    // responder cookie: a first message seen with the responder's cookie and a proposal is the responder's answer (the
    // capture missed the offer). Later in the exchange nothing tells: the first sender is taken for the initiator.
    const fromInitiator = v2 ? isInitiator(m) : !v1ResponderAnswer(m);
    sa = {
      ispi: m.ispi,
      rspi: m.rspi,
      version: m.major,
      initiator: fromInitiator ? src : dst,
      responder: fromInitiator ? dst : src,
      firstSeen: ts,
      lastSeen: ts,
      packets: 0,
      requests: 0,
      answers: 0,
      encrypted: 0,
      decrypted: 0,
      events: [],
      offered: [],
      chosen: null,
      offeredGroups: [],
      chosenGroup: -1,
      weakChosen: [],
      aggressive: false,
      psk: false,
      aggressiveHash: false,
      errors: [],
      exchanges: {},
      authOk: false,
      authAnswered: false,
      authRefused: null,
      phase1Done: false,
      later: 0,
      deleted: false,
      children: [],
    };
    log.sas.set(m.ispi, sa);
  }
  sa.packets++;
  sa.firstSeen = Math.min(sa.firstSeen, ts);
  sa.lastSeen = Math.max(sa.lastSeen, ts);
  if (sa.rspi === '0000000000000000' && m.rspi !== sa.rspi) sa.rspi = m.rspi;
  const ex = exchangeName(m);
  sa.exchanges[ex] = (sa.exchanges[ex] ?? 0) + 1;
  const body = m.decrypted ?? m;
  if (m.decrypted) sa.decrypted++;
  else if (m.encrypted) sa.encrypted++;
  const fromInitiatorSide = src === sa.initiator;
  const response = v2 ? isResponse(m) : !fromInitiatorSide;
  // An IKEv1 Informational is no request: a host flooded with answers may refuse them with one (INVALID-COOKIE).
  if (fromInitiatorSide && (v2 ? !response : m.exchange !== 5)) sa.requests++;
  if (!fromInitiatorSide) sa.answers++;
  const what: string[] = [];

  // IKE SA proposals: the initiator offers, the responder's single proposal is the choice.
  const ikeProposals = body.proposals.filter((p) => p.protoId === 1);
  const childProposals = body.proposals.filter((p) => p.protoId === 2 || p.protoId === 3);
  const ikeSaNegotiation = v2 ? m.exchange === 34 : m.exchange === 2 || m.exchange === 4;
  if (ikeSaNegotiation && ikeProposals.length) {
    if (!response) {
      for (const p of ikeProposals) {
        const text = proposalText(m, p);
        if (!sa.offered.includes(text)) pushBounded(sa.offered, text, IKE_LIMITS.offersPerSa);
        for (const g of groupsOf(m, p)) if (!sa.offeredGroups.includes(g)) sa.offeredGroups.push(g);
        sa.psk ||= pskIn(p);
      }
      what.push(`offered ${ikeProposals.map((p) => proposalText(m, p)).join(' ; ')}`);
    } else {
      const p = ikeProposals[0]!;
      sa.chosen = proposalText(m, p);
      sa.weakChosen = weakAlgorithms(m, p);
      const g = groupsOf(m, p);
      if (g.length) sa.chosenGroup = g[0]!;
      sa.psk = pskIn(p) || (sa.psk && !v2);
      what.push(`chose ${sa.chosen}`);
    }
  }
  if (v2 && m.exchange === 34 && response && body.keGroups.length) sa.chosenGroup = body.keGroups[0]!;
  if (!v2 && m.exchange === 4) {
    sa.aggressive = true;
    // Aggressive mode's second message carries the responder's HASH_R, computed from the PSK.
    if (response && body.payloads.includes(8)) sa.aggressiveHash = true;
  }
  if (!v2 && (m.exchange === 32 || (m.exchange === 5 && m.encrypted))) sa.later++;
  if (!v2 && ikev1Phase1Proof(m, sa, response)) sa.phase1Done = true;
  if (v2 && m.exchange === 35 && response) {
    sa.authAnswered = true;
    const readable = m.decrypted !== null || !m.encrypted;
    if (readable && body.payloads.includes(39)) sa.authOk = true;
    else if (readable) {
      // An answer without AUTH and without an error is a step of EAP: IKE_AUTH goes on.
      const err = body.notifies.find((n) => IKE_SA_ERRORS.has(n.type));
      if (err) sa.authRefused = notifyName(2, err.type);
    }
  }
  // CREATE_CHILD_SA and INFORMATIONAL only run under an established IKE SA (counted whatever came before: threads merge
  // parts).
  if (v2 && (m.exchange === 36 || m.exchange === 37)) sa.later++;

  // A child asked in a readable request whose answer stays encrypted (keys for the initiator's side only): answered,
  // what it said unknown.
  if (v2 && (m.exchange === 35 || m.exchange === 36) && response && m.encrypted && !m.decrypted) {
    const child = lastOpen(sa.children, ex);
    if (child) {
      child.answered = true;
      child.unread = true;
    }
  }
  // Child SAs (IKEv2, readable): the request's proposal SPI is the initiator's, the response's the responder's.
  if (v2 && (m.exchange === 35 || m.exchange === 36) && (m.decrypted || !m.encrypted)) {
    const rekey = body.notifies.find((n) => n.type === REKEY_SA);
    const transport = body.notifies.some((n) => n.type === USE_TRANSPORT_MODE);
    // Errors about the child SA; those about the IKE SA (AUTHENTICATION_FAILED...) are not the child's.
    const errors = body.notifies.filter((n) => isError(2, n.type) && !IKE_SA_ERRORS.has(n.type));
    const isChildExchange = childProposals.length > 0 || response;
    if (isChildExchange) {
      let child = lastOpen(sa.children, ex);
      if (!response) {
        child = {
          exchange: ex,
          ts,
          initiatorSpi: childProposals[0]?.spi || null,
          responderSpi: null,
          proposal: childProposals.length ? childProposals.map((p) => proposalText(m, p)).join(' ; ') : null,
          mode: null,
          transportRequested: transport,
          error: null,
          rekeys: rekey?.spi || null,
          answered: false,
        };
        if (childProposals.length) pushBounded(sa.children, child, IKE_LIMITS.childrenPerSa);
      } else if (
        child &&
        (errors.length || childProposals.length || body.notifies.some((n) => IKE_SA_ERRORS.has(n.type)))
      ) {
        child.answered = true;
        const ikeError = body.notifies.find((n) => IKE_SA_ERRORS.has(n.type));
        if (errors.length) child.error = notifyName(2, errors[0]!.type);
        else if (ikeError) child.error = `the IKE SA failed first (${notifyName(2, ikeError.type)})`;
        else if (childProposals.length) {
          child.responderSpi = childProposals[0]!.spi || null;
          child.proposal = proposalText(m, childProposals[0]!);
          child.mode = transport ? 'transport' : 'tunnel';
          for (const w of weakAlgorithms(m, childProposals[0]!)) if (!sa.weakChosen.includes(w)) sa.weakChosen.push(w);
        }
      }
      if (childProposals.length && !response)
        what.push(
          `asked for a child ` +
            `SA ${child?.proposal ?? ''}${transport ? ' in transport mode' : ''}` +
            `${rekey ? ` rekeying ${rekey.spi}` : ''}`,
        );
      if (response && child?.responderSpi)
        what.push(`child SA up: SPIs ${child.initiatorSpi} / ${child.responderSpi} (${child.mode} mode)`);
    }
  }

  for (const n of body.notifies) {
    if (!isError(m.major, n.type)) continue;
    const name = notifyName(m.major, n.type);
    if (sa.errors.length < IKE_LIMITS.eventsPerSa) sa.errors.push({ type: n.type, name, exchange: ex, from: src, ts });
    what.push(`error ${name}`);
  }
  for (const d of body.deletes) {
    if (d.protoId === 1) sa.deleted = true;
    what.push(`delete ${d.protoId === 1 ? 'IKE SA' : d.spis.join(',')}`);
  }
  if (m.natSourceOk === false)
    what.push(
      `NAT detection: ${src}'s address or port is not the one it hashed (a ` +
        `NAT on the way, or UDP encapsulation forced)`,
    );
  if (m.natDestinationOk === false)
    what.push(`NAT detection: ${dst}'s address or port is not the one the sender hashed (a NAT on the way)`);
  if (m.encrypted && !m.decrypted) what.push(ENCRYPTED_NOTE);
  const head = eventHead(src === sa.initiator ? 'initiator' : 'responder', ex, response);
  pushBounded(
    sa.events,
    { ts, from: src, text: `${head}${what.length ? `: ${what.join(', ')}` : ''}` },
    IKE_LIMITS.eventsPerSa,
  );
}

/** A story line's opening words: who sent which exchange's request or response (what it said follows a colon). */
const eventHead = (role: 'initiator' | 'responder', exchange: string, response: boolean): string =>
  `${role} ${exchange} ${response ? 'response' : 'request'}`;
/** The last note of a line whose message stayed encrypted. */
const ENCRYPTED_NOTE = '(encrypted)';

/** The SA's story lines that open with these words, in order. */
function eventsOf(sa: IkeSaRecord, role: 'initiator' | 'responder', exchange: string, response: boolean): IkeEvent[] {
  const head = eventHead(role, exchange, response);
  return sa.events.filter((e) => e.text === head || e.text.startsWith(`${head}: `));
}

/** Takes in what a later part of the capture saw (plain copies from a worker). */
export function mergeIke(into: IkeLog, later: IkeLog): void {
  into.dropped += later.dropped;
  for (const [ispi, theirs] of later.sas) {
    const mine = into.sas.get(ispi);
    if (!mine) {
      if (into.sas.size >= IKE_LIMITS.sasPerPeer) into.dropped++;
      else into.sas.set(ispi, theirs);
      continue;
    }
    mine.lastSeen = Math.max(mine.lastSeen, theirs.lastSeen);
    mine.firstSeen = Math.min(mine.firstSeen, theirs.firstSeen);
    mine.packets += theirs.packets;
    mine.requests += theirs.requests;
    mine.answers += theirs.answers;
    mine.encrypted += theirs.encrypted;
    mine.decrypted += theirs.decrypted;
    if (mine.rspi === '0000000000000000') mine.rspi = theirs.rspi;
    for (const e of theirs.events) pushBounded(mine.events, e, IKE_LIMITS.eventsPerSa);
    for (const o of theirs.offered) if (!mine.offered.includes(o)) pushBounded(mine.offered, o, IKE_LIMITS.offersPerSa);
    for (const g of theirs.offeredGroups) if (!mine.offeredGroups.includes(g)) mine.offeredGroups.push(g);
    mine.chosen = theirs.chosen ?? mine.chosen;
    if (theirs.chosenGroup >= 0) mine.chosenGroup = theirs.chosenGroup;
    for (const w of theirs.weakChosen) if (!mine.weakChosen.includes(w)) mine.weakChosen.push(w);
    mine.aggressive ||= theirs.aggressive;
    mine.psk ||= theirs.psk;
    mine.aggressiveHash ||= theirs.aggressiveHash;
    for (const e of theirs.errors) pushBounded(mine.errors, e, IKE_LIMITS.eventsPerSa);
    for (const [k, n] of Object.entries(theirs.exchanges)) mine.exchanges[k] = (mine.exchanges[k] ?? 0) + n;
    mine.authOk ||= theirs.authOk;
    mine.authAnswered ||= theirs.authAnswered;
    mine.authRefused ??= theirs.authRefused;
    mine.phase1Done ||= theirs.phase1Done;
    mine.later += theirs.later;
    mine.deleted ||= theirs.deleted;
    // A child asked at the end of one part is answered at the start of the next.
    for (const c of theirs.children) {
      const open = lastOpen(mine.children, c.exchange);
      if (open && c.answered && c.initiatorSpi === null && c.proposal === null)
        Object.assign(open, { ...c, initiatorSpi: open.initiatorSpi, ts: open.ts });
      else pushBounded(mine.children, c, IKE_LIMITS.childrenPerSa);
    }
  }
}

export type IkeSaState = 'up' | 'failed' | 'negotiating' | 'unknown';

const AUTHENTICATION_FAILED = 24;

/**
 * Without the keys, an IKEv2 SA whose only exchange after IKE_AUTH is one INFORMATIONAL that the initiator began
 * within a second of the IKE_AUTH answer: that is how an initiator refuses the responder's AUTH (RFC 7296 2.21.2),
 * and nothing tells it from a delete. Later, or with more exchanges, the SA was in use.
 */
function refusalLike(sa: IkeSaRecord): boolean {
  if (sa.exchanges.CREATE_CHILD_SA || (sa.exchanges.INFORMATIONAL ?? 0) > 2) return false;
  const answered = eventsOf(sa, 'responder', 'IKE_AUTH', true).at(-1);
  const informational = eventsOf(sa, 'initiator', 'INFORMATIONAL', false)[0];
  return answered !== undefined && informational !== undefined && informational.ts - answered.ts < 1;
}

/**
 * The first message sent again and never answered (no responder SPI or cookie, no message from the responder): the
 * initiator's own retransmissions say that nothing came back to it, whatever the capture saw. Null otherwise.
 */
function unansweredFirst(sa: IkeSaRecord): string | null {
  const first = sa.version === 2 ? 'IKE_SA_INIT' : sa.aggressive ? 'Aggressive' : 'Main';
  const sent = sa.exchanges[first] ?? 0;
  if (sa.rspi !== '0000000000000000' || sent < 2 || Object.keys(sa.exchanges).length !== 1) return null;
  // Every message is in the story, and each came from the initiator (a responder's INVALID_KE_PAYLOAD or COOKIE
  // answer keeps its SPI zero).
  if (sa.events.length !== sent || sa.events.some((e) => e.from !== sa.initiator)) return null;
  const seconds = Math.round((sa.lastSeen - sa.firstSeen) * 10) / 10;
  return (
    `${first === 'IKE_SA_INIT' ? first : `${first} mode's first message`} sent ${sent} times over ${seconds} s, ` +
    'never answered (the responder down, UDP 500 filtered, or the wrong address)'
  );
}

/**
 * IKEv1's phase 1 stuck at the step keys that differ stop, said by a message sent again (the sender got nothing it
 * could use): main mode's fifth (the initiator's identity, encrypted), or aggressive mode's second (the responder's,
 * while no third came). Null otherwise.
 */
function ikev1Stalled(sa: IkeSaRecord): string | null {
  const fifth = eventsOf(sa, 'initiator', EXCHANGES_SHORT_V1[IKEV1_MAIN]!, false).filter((e) =>
    e.text.endsWith(ENCRYPTED_NOTE),
  ).length;
  if (fifth >= 2)
    return (
      `main mode's fifth message (the initiator's identity, encrypted) sent ${fifth} times, no sixth came: the ` +
      'responder could not open it (pre-shared keys that differ?)'
    );
  const second = eventsOf(sa, 'responder', EXCHANGES_SHORT_V1[IKEV1_AGGRESSIVE]!, true).length;
  if (sa.aggressive && second >= 2)
    return (
      `aggressive mode's second message sent ${second} times, no third came: the initiator did not accept the ` +
      "responder's HASH (pre-shared keys that differ?)"
    );
  return null;
}

/** Whether the IKE SA came up, and the words that say why we think so. */
export function ikeSaState(sa: IkeSaRecord): { state: IkeSaState; why: string } {
  const lastError = sa.errors.at(-1);
  const unanswered = unansweredFirst(sa);
  if (unanswered) return { state: 'failed', why: unanswered };
  if (sa.version === 2) {
    // RFC 7296 2.21.2: an initiator that cannot verify the responder's AUTH says so in an INFORMATIONAL and deletes.
    const refusedByInitiator = sa.errors.find(
      (e) => e.exchange === 'INFORMATIONAL' && e.type === AUTHENTICATION_FAILED && e.from === sa.initiator,
    );
    if (refusedByInitiator)
      return { state: 'failed', why: "AUTHENTICATION_FAILED from the initiator: it refused the responder's AUTH" };
    if (sa.authOk) return { state: 'up', why: 'IKE_AUTH answered with AUTH (decrypted)' };
    if (sa.authRefused) return { state: 'failed', why: `${sa.authRefused} in IKE_AUTH` };
    if (lastError && (lastError.exchange === 'IKE_SA_INIT' || lastError.exchange === 'IKE_AUTH') && !sa.authAnswered) {
      return { state: 'failed', why: `${lastError.name} in ${lastError.exchange}` };
    }
    if (
      lastError &&
      lastError.exchange === 'IKE_AUTH' &&
      sa.decrypted > 0 &&
      !sa.children.some((c) => c.error === lastError.name)
    ) {
      return { state: 'failed', why: `${lastError.name} in IKE_AUTH` };
    }
    if (sa.authAnswered && sa.later > 0 && (sa.decrypted > 0 || !refusalLike(sa)))
      return { state: 'up', why: 'IKE_AUTH answered and later exchanges under the SA' };
    if (sa.authAnswered && sa.later > 0)
      return {
        state: 'unknown',
        why:
          'IKE_AUTH answered, and at once one encrypted INFORMATIONAL exchange (the initiator refusing the ' +
          "responder's AUTH, or a delete): its outcome needs the IKE keys (--ikev2-keys)",
      };
    if (sa.authAnswered)
      return { state: 'unknown', why: 'IKE_AUTH answered, encrypted: its outcome needs the IKE keys (--ikev2-keys)' };
    return { state: 'negotiating', why: sa.exchanges.IKE_SA_INIT ? 'IKE_SA_INIT only' : 'no IKE_SA_INIT seen' };
  }
  if (sa.phase1Done) return { state: 'up', why: 'phase 1 finished (its last message or quick mode seen)' };
  const stalled = ikev1Stalled(sa);
  if (stalled) return { state: 'failed', why: stalled };
  if (lastError) return { state: 'failed', why: `${lastError.name} in ${lastError.exchange}` };
  return { state: 'negotiating', why: 'phase 1 not finished in this capture' };
}

/** Responders answering one initiator SPI that make a reflection (see ikeReflections). */
const REFLECTION_RESPONDERS = 4;

/** IKE answers sent to an address that sent none of the requests they answer (see ikeReflections). */
export interface IkeReflection {
  /** Where the answers went: the address the requests were forged with. */
  target: string;
  /** The initiator SPIs (IKEv1 cookies) answered, in the order first seen. */
  ispis: string[];
  /** IKE versions of the answers. */
  versions: number[];
  /** Hosts that answered. */
  responders: number;
  /** Messages the responders sent. */
  answers: number;
  firstSeen: number;
  lastSeen: number;
  sas: IkeSaRecord[];
}

/**
 * IKE reflection: several responders answering one initiator SPI, while no
 * request with that SPI was sent in the capture, from any address (a NAT
 * may have translated the initiator's). An initiator picks a new SPI for
 * each IKE SA (RFC 7296 2.6; IKEv1's cookie, RFC 2408 2.5.3), so one SPI
 * answered by several hosts was sent to them all by someone else with the
 * target's address as the source: the answers, larger than the requests,
 * are aimed at it (an amplification attack). A host that sent the requests
 * itself (a scanner reusing its SPI) is not one. One reflection a target,
 * over all the SPIs used against it.
 */
export function ikeReflections(logs: Iterable<IkeLog>): IkeReflection[] {
  const bySpi = new Map<string, IkeSaRecord[]>();
  const requested = new Set<string>();
  for (const log of logs)
    for (const sa of log.sas.values()) {
      if (sa.requests > 0) requested.add(`${sa.version} ${sa.ispi}`);
      // A pair's log holds one SA per initiator SPI: each SA of a group has a responder of its own.
      const key = `${sa.version} ${sa.initiator} ${sa.ispi}`;
      const group = bySpi.get(key);
      if (group) group.push(sa);
      else bySpi.set(key, [sa]);
    }
  const byTarget = new Map<string, IkeReflection>();
  const responders = new Map<string, Set<string>>();
  for (const sas of bySpi.values()) {
    const first = sas[0]!;
    if (sas.length < REFLECTION_RESPONDERS || requested.has(`${first.version} ${first.ispi}`)) continue;
    let r = byTarget.get(first.initiator);
    if (!r) {
      r = {
        target: first.initiator,
        ispis: [],
        versions: [],
        responders: 0,
        answers: 0,
        firstSeen: first.firstSeen,
        lastSeen: first.lastSeen,
        sas: [],
      };
      byTarget.set(first.initiator, r);
      responders.set(first.initiator, new Set());
    }
    r.ispis.push(first.ispi);
    if (!r.versions.includes(first.version)) r.versions.push(first.version);
    const hosts = responders.get(first.initiator)!;
    for (const sa of sas) {
      hosts.add(sa.responder);
      r.sas.push(sa);
      r.answers += sa.answers;
      r.firstSeen = Math.min(r.firstSeen, sa.firstSeen);
      r.lastSeen = Math.max(r.lastSeen, sa.lastSeen);
    }
    r.responders = hosts.size;
  }
  return [...byTarget.values()];
}

/** The story as plain JSON for the report, with the ESP SPIs matched to what the capture saw. */
export function ikeRecord(sa: IkeSaRecord, espSpis: ReadonlyMap<number, number>): Record<string, unknown> {
  const { state, why } = ikeSaState(sa);
  const seen = (spi: string | null) => (spi && spi.length === 8 ? (espSpis.get(parseInt(spi, 16)) ?? 0) : 0);
  const r: Record<string, unknown> = {
    version: sa.version,
    initiatorSpi: sa.ispi,
    responderSpi: sa.rspi,
    initiator: sa.initiator,
    responder: sa.responder,
    state,
    why,
    packets: sa.packets,
    exchanges: sa.exchanges,
    offered: sa.offered,
    chosen: sa.chosen,
  };
  if (sa.chosenGroup >= 0) r.group = DH_SHORT[sa.chosenGroup] ?? sa.chosenGroup;
  if (sa.aggressive) r.aggressive = true;
  if (sa.psk) r.psk = true;
  if (sa.errors.length) r.errors = sa.errors.map((e) => ({ name: e.name, exchange: e.exchange, from: e.from }));
  if (sa.encrypted) r.encrypted = sa.encrypted;
  if (sa.decrypted) r.decrypted = sa.decrypted;
  if (sa.deleted) r.deleted = true;
  if (sa.children.length) {
    r.children = sa.children.map((c) => ({
      exchange: c.exchange,
      proposal: c.proposal,
      initiatorSpi: c.initiatorSpi,
      responderSpi: c.responderSpi,
      mode: c.mode,
      transportRequested: c.transportRequested,
      error: c.error,
      rekeys: c.rekeys,
      espPackets: seen(c.initiatorSpi) + seen(c.responderSpi),
      ...(c.unread ? { answer: 'encrypted' } : {}),
    }));
  }
  r.story = sa.events.map((e) => e.text);
  return r;
}

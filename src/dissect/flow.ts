import { SegmentAnalysis } from './tcp-analysis.js';

/** What one TCP or UDP layer's frame saw of its conversation (a layer's slot, reused from packet to packet). */
export class FlowFacts {
  /** -1: no conversation (not kept, or the header cut before it). */
  stream = -1;
  /** The times of the conversation's first frame and of its previous one, which this frame's is told from. */
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  /** UDP: no timestamps (a datagram quoted in an ICMP error, or one with no payload). */
  noTimes = false;
  /** TCP: the completeness before this segment; the sequence and ack numbers as shown; the next, -1 where none. */
  completeness = 0;
  seq = 0;
  ack = 0;
  nextSeq = -1;
  /** Whether seq and ack were told from the bases (a whole segment, not one an error quotes). */
  relative = false;
  window = 0;
  /** The acknowledged direction's first sequence number (0 before it is known): SACK's edges are told from it. */
  ackBase = 0;
  /** The direction's window scale shift for a segment other than a SYN (-1 unknown, -2 none); NaN for a SYN. */
  winScale = Number.NaN;
  /** TCP: what the SEQ/ACK analysis found of this segment. */
  readonly analysis = new SegmentAnalysis();
}

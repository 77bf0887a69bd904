/**
 * A span of time as Wireshark's nstime_delta makes it: whole seconds and nanoseconds of one sign (-1.5 s is -1 and
 * -500000000), so that a time earlier than the one it is told from is a negative span.
 */
export class Span {
  sec = 0;
  nsec = 0;

  /** (sec, nsec) less (fromSec, fromNsec). */
  setDelta(sec: number, nsec: number, fromSec: number, fromNsec: number): void {
    let s = sec - fromSec;
    let ns = nsec - fromNsec;
    if (ns < 0 && s > 0) {
      s--;
      ns += 1e9;
    } else if (ns > 0 && s < 0) {
      s++;
      ns -= 1e9;
    }
    this.sec = s;
    this.nsec = ns;
  }

  copy(o: Span): void {
    this.sec = o.sec;
    this.nsec = o.nsec;
  }

  clear(): void {
    this.sec = this.nsec = 0;
  }

  get zero(): boolean {
    return this.sec === 0 && this.nsec === 0;
  }
}

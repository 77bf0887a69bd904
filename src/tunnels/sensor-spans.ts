import { eachWithin, read, StateError, type Plain } from './state.js';

/**
 * Which sensors saw a tunnel or an IPsec peer pair, and over what capture
 * time: a merge gives each tunnel of a one-sensor partial its sensor's
 * span and joins them. Two sensors that saw one tunnel over the same time
 * (its two ends, a hub and a spoke) saw the same packets: a merge counts
 * them once a sensor and reads their sequence numbers as one stream, so the
 * audit does not judge those (see sensorsAtOnce). One sensor's parts of a
 * capture, or a tunnel that moved from one sensor to another, are not that.
 * A plain Map, not a class: absorb() also takes plain copies from workers.
 */
export type SensorSpans = Map<string, [first: number, last: number]>;

/** Sensors kept for one tunnel: those first by name, so that what a merge keeps does not depend on its order. */
export const MAX_SENSOR_SPANS = 64;

/** Widens `sensor`'s span to [first, last] (adding it). */
export function addSpan(spans: SensorSpans, sensor: string, first: number, last: number): void {
  const mine = spans.get(sensor);
  if (mine) {
    mine[0] = Math.min(mine[0], first);
    mine[1] = Math.max(mine[1], last);
    return;
  }
  spans.set(sensor, [first, last]);
  if (spans.size > MAX_SENSOR_SPANS) {
    let last = sensor;
    for (const s of spans.keys()) if (s > last) last = s;
    spans.delete(last);
  }
}

/** `into` (or a new map, when null) with `later`'s spans joined. */
export function absorbSpans(into: SensorSpans | null, later: SensorSpans | null): SensorSpans | null {
  if (!later) return into;
  const out = into ?? new Map();
  for (const [sensor, [first, last]] of later) addSpan(out, sensor, first, last);
  return out;
}

/** The sensors that saw it over the same time as another sensor did, by name; none for one sensor. */
export function sensorsAtOnce(spans: SensorSpans | null): string[] {
  if (!spans || spans.size < 2) return [];
  const out: string[] = [];
  for (const [s, [first, last]] of spans)
    for (const [t, [otherFirst, otherLast]] of spans)
      if (s !== t && first <= otherLast && otherFirst <= last) {
        out.push(s);
        break;
      }
  return out.sort();
}

export function spansState(spans: SensorSpans | null): Plain {
  if (!spans) return null;
  return [...spans].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sensor, [first, last]]) => [sensor, first, last]);
}

export function spansFromState(v: unknown, at: string): SensorSpans | null {
  if (v === null || v === undefined) return null;
  const spans: SensorSpans = new Map();
  eachWithin(read.arr(v, at, MAX_SENSOR_SPANS), at, (x) => {
    const s = read.arr(x, '', 3);
    if (s.length !== 3) throw new StateError(': expected [sensor, first, last]');
    const sensor = read.str(s[0], '[0]', 256);
    const first = read.time(s[1], '[1]');
    const last = read.time(s[2], '[2]');
    if (!(first <= last) || !Number.isFinite(last)) throw new StateError(': first later than last');
    if (spans.has(sensor)) throw new StateError(': a sensor given twice');
    spans.set(sensor, [first, last]);
  });
  return spans;
}

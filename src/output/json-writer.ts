import { jsonVisible } from './escape.js';
import type { LineSink } from './sink.js';

/**
 * An object written as JSON to a sink as it is made, one line: the same
 * bytes as `jsonVisible(JSON.stringify(o, null, indent))` (through the same
 * escaping), but each member, and each element of a member that is an
 * array, is made and written on its own, so that a report of 100,000
 * tunnels is never one string. `indent` 0 is one line (NDJSON).
 */
export function writeJson(sink: LineSink, o: Record<string, unknown>, indent: 0 | 2): void {
  const nl = indent ? '\n' : '';
  const at = (depth: number) => (indent ? nl + ' '.repeat(indent * depth) : '');
  // A value below the top, made by JSON.stringify and indented to its depth.
  const value = (v: unknown, depth: number) => {
    const s = JSON.stringify(v, null, indent);
    return indent && s !== undefined ? s.replaceAll('\n', at(depth)) : s;
  };
  let first = true;
  sink.text('{');
  for (const [k, v] of Object.entries(o)) {
    const head = `${first ? '' : ','}${at(1)}${JSON.stringify(k)}:${indent ? ' ' : ''}`;
    if (Array.isArray(v) && v.length > 0) {
      sink.text(jsonVisible(`${head}[`));
      v.forEach((x, i) => sink.text(jsonVisible(`${i ? ',' : ''}${at(2)}${value(x, 2) ?? 'null'}`)));
      sink.text(`${at(1)}]`);
    } else {
      const s = value(v, 1);
      if (s === undefined) continue;
      sink.text(jsonVisible(head + s));
    }
    first = false;
  }
  sink.text(first ? '}' : `${at(0)}}`);
  sink.endLine();
}

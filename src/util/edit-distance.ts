/**
 * Levenshtein distance, for "did you mean" hints (misspelt options and
 * field names). Stops early once every path costs `cap` or more.
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let low = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < low) low = v;
    }
    if (low >= cap) return cap;
    prev = row;
  }
  return prev[b.length]!;
}

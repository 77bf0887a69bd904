/**
 * C's `printf("%.Nf", x)`, as tshark's tables print their numbers: the double's exact decimal digits rounded to N
 * places, an exact tie to the even digit (JavaScript's toFixed rounds a tie up: 1/1024 to 9 places is 0.000976563
 * there, 0.000976562 in C).
 */
export function printfFixed(x: number, places: number): string {
  if (!Number.isFinite(x)) return String(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  // 100 places hold every digit of a double's fraction for the numbers tables print (from 2^-47 up); past 1e21
  // toFixed writes an exponent, and the number is whole.
  const exact = Math.abs(x) >= 1e21 ? `${BigInt(Math.abs(x))}.${'0'.repeat(100)}` : Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const kept = exact.slice(0, point + 1 + places);
  const rest = exact.slice(point + 1 + places);
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || odd(kept)));
  const text = up ? increment(kept) : kept;
  return sign + (places === 0 ? text.slice(0, -1) : text);
}

function odd(digits: string): boolean {
  const last = digits[digits.length - 1] === '.' ? digits[digits.length - 2]! : digits[digits.length - 1]!;
  return (last.charCodeAt(0) & 1) === 1;
}

/** The decimal text one unit larger in its last place ("9.99" to "10.00"). */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '.') continue;
    if (out[i] !== '9') {
      out[i] = String.fromCharCode(out[i]!.charCodeAt(0) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/**
 * C's `printf("%.Pg", x)` (P 6, FLT_DIG, as tshark shows an FT_FLOAT): P significant digits, trailing zeros dropped,
 * an exponent where it is under -4 or at least P (`1.25e+08`, `0.0001`, `123456`).
 */
export function printfG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, power] = x.toExponential(precision - 1).split('e') as [string, string];
  const e = Number(power);
  if (e < -4 || e >= precision)
    return `${withoutZeros(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return withoutZeros(printfFixed(x, precision - 1 - e));
}

/** A decimal's trailing zeros after its point, and the point if nothing follows it. */
const withoutZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

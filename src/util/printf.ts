/**
 * C's `printf("%.Nf", x)`, as tshark's tables print their numbers: the double's exact decimal digits rounded to N
 * places, an exact tie to the even digit (JavaScript's toFixed rounds a tie up: 1/1024 to 9 places is 0.000976563
 * there, 0.000976562 in C).
 */
export function printfFixed(x: number, places: number): string {
  if (!Number.isFinite(x)) return notFinite(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const exact = exactText(x);
  const point = exact.indexOf('.');
  const kept = exact.slice(0, point + 1 + places);
  const rest = exact.slice(point + 1 + places);
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || odd(kept)));
  const text = up ? increment(kept) : kept;
  return sign + (places === 0 ? text.slice(0, -1) : text);
}

/**
 * |x| in decimal, its digits exact to 100 places: every digit of a double's fraction for the numbers tables print
 * (from 2^-47 up), and enough of a float's for rounding to a few digits; past 1e21 toFixed writes an exponent, and
 * the number is whole.
 */
const exactText = (x: number): string =>
  Math.abs(x) >= 1e21 ? `${BigInt(Math.abs(x))}.${'0'.repeat(100)}` : Math.abs(x).toFixed(100);

/** Infinities and NaN as C's printf writes them. */
const notFinite = (x: number): string => (Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf');

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
 * C's `printf("%.Pg", x)` (P 6, FLT_DIG, as tshark shows an FT_FLOAT): P significant digits, rounded as printfFixed
 * rounds, trailing zeros dropped, an exponent where it is under -4 or at least P (`1.25e+08`, `0.0001`, `123456`).
 */
export function printfG(x: number, precision = 6): string {
  if (!Number.isFinite(x)) return notFinite(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, power } = significant(x, precision);
  if (power >= -4 && power < precision) return withoutZeros(printfFixed(x, precision - 1 - power));
  const fraction = digits.slice(1).replace(/0+$/, '');
  const exponent = `${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  return `${x < 0 ? '-' : ''}${digits[0]}${fraction ? `.${fraction}` : ''}e${exponent}`;
}

/** x (not zero) to n significant digits, rounded as printfFixed rounds: the digits, the first one's power of ten. */
function significant(x: number, n: number): { digits: string; power: number } {
  const text = exactText(x);
  const point = text.indexOf('.');
  const all = text.slice(0, point) + text.slice(point + 1);
  const first = all.search(/[1-9]/);
  const power = point - first - 1;
  const kept = all.slice(first, first + n).padEnd(n, '0');
  const rest = all.slice(first + n);
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || odd(kept)));
  if (!up) return { digits: kept, power };
  const rounded = increment(kept);
  // 9.99999 up is 10.0000: one digit more, one power higher.
  return rounded.length > n ? { digits: rounded.slice(0, n), power: power + 1 } : { digits: rounded, power };
}

/** A decimal's trailing zeros after its point, and the point if nothing follows it. */
const withoutZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

const WIDE = ['B', 'KiB', 'MiB', 'GiB'];
const NARROW = ['B', 'K', 'M', 'G'];

/**
 * Bytes in binary units, one decimal: "2.3 KiB" in the audit report, "2.3K"
 * in the UI's header, where columns are few. The report gives GiB to two.
 */
export function sizeText(bytes: number, narrow = false): string {
  let unit = 0;
  while (unit < 3 && bytes >= 1024 ** (unit + 1)) unit++;
  if (unit === 0) return narrow ? `${bytes}B` : `${bytes} B`;
  const digits = unit === 3 && !narrow ? 2 : 1;
  return `${(bytes / 1024 ** unit).toFixed(digits)}${narrow ? NARROW[unit] : ` ${WIDE[unit]}`}`;
}

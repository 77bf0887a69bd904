/** "1 packet", "2 packets": a count and its word, in the plural unless it is one. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

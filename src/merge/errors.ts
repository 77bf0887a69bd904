/**
 * A partial or a table that cannot be read or written: one line, exit status 2. Kept apart so that main.ts knows it
 * without loading the merge.
 */
export class PartialError extends Error {}

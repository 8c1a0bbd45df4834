/**
 * Why a database file, or a write to it, was refused. Each names the file; a refused file is never
 * changed. "invalid-data" is the caller's mistake (a turn out of order, or data that would not read
 * back), not the file's.
 */
export const STORE_ERROR_KINDS = ["not-found", "corrupt", "foreign", "too-new", "locked", "io", "invalid-name", "exists", "invalid-data"] as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[number];

export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly kind: StoreErrorKind,
    readonly file: string,
    /** The problem alone, for places that show the file separately (a list of saves). */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

/** Why a database file was refused. Each names the file; none changes it. */
export const STORE_ERROR_KINDS = ["not-found", "corrupt", "foreign", "too-new", "locked", "io", "invalid-name", "exists"] as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[number];

export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly kind: StoreErrorKind,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/**
 * Everything that can go wrong with a model call, as one typed error. The router decides on
 * `kind` and `retryable`; the player only ever sees `message`, never as if it were narration.
 */

export const LLM_ERROR_KINDS = [
  "rate-limit",       // 429: retry after the given delay
  "server",           // 5xx
  "timeout",
  "network",          // connection refused or reset, DNS
  "auth",             // 401/403, missing key
  "invalid-request",  // other 4xx
  "context-overflow", // the prompt does not fit the model's context
  "aborted",          // cancelled by the caller
  "model-file",       // missing, corrupt, truncated or non-GGUF file
  "out-of-memory",    // model too large for this machine
  "malformed-output", // the response is not what was asked for (bad JSON, empty)
  "unavailable",      // circuit open, budget spent, no model configured
] as const;
export type LlmErrorKind = (typeof LLM_ERROR_KINDS)[number];

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(["rate-limit", "server", "timeout", "network"]);

export interface LlmErrorOptions {
  readonly provider?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly file?: string;
  readonly cause?: unknown;
}

export class LlmError extends Error {
  override readonly name = "LlmError";
  readonly kind: LlmErrorKind;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The model file concerned, for local models. */
  readonly file: string | undefined;

  constructor(kind: LlmErrorKind, message: string, options: LlmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.file = options.file;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}

import { LlmError, type LlmErrorKind } from "../errors.js";

/**
 * Turning whatever a cloud SDK throws into one LlmError, the same way for every cloud provider,
 * so the router's retry and fallback decisions do not depend on which SDK failed.
 */

/** Why the call's own signal fired, if it did: that decides the kind whatever the SDK threw. */
export type Halt = "timeout" | "aborted";

export interface ErrorContext {
  /** The provider id, copied onto every error for the ledger. */
  readonly provider: string;
  /** How messages name the provider to the player: "OpenRouter", "Gemini". */
  readonly label: string;
  /** Strings that must never reach a message (API keys); servers sometimes echo them back. */
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  /** Added to auth failures, so the player learns what to fix: "set OPENROUTER_API_KEY". */
  readonly authHint?: string;
}

/** An HTTP-level refusal, as each provider extracts it from its SDK's error. */
export interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly headers?: Headers | undefined;
  /** A delay the error body asked for (Gemini's RetryInfo), used when no Retry-After header came. */
  readonly retryDelayMs?: number | undefined;
  /** A machine-readable code from the body, e.g. OpenAI's "context_length_exceeded". */
  readonly code?: string | undefined;
  /** The body says the key is bad whatever the status (Gemini answers a bad key with 400). */
  readonly credentialsRejected?: boolean;
}

const MESSAGE_LIMIT = 300;

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "keys" would redact ordinary words and hide the actual problem.
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= MESSAGE_LIMIT ? flat : `${flat.slice(0, MESSAGE_LIMIT)}…`;
}

function make(kind: LlmErrorKind, message: string, ctx: ErrorContext, extra: { status?: number; retryAfterMs?: number } = {}): LlmError {
  // No `cause`: SDK errors can carry the server's raw words, and those may echo the key.
  return new LlmError(kind, redact(message, ctx.secrets), {
    provider: ctx.provider, status: extra.status, retryAfterMs: extra.retryAfterMs,
  });
}

/** Retry-After as seconds or an HTTP date, or OpenAI's retry-after-ms; undefined when absent or unreadable. */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get("retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A google.protobuf.Duration in its JSON form ("13s", "0.250s") in milliseconds. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match?.[1] === undefined ? undefined : Math.ceil(Number(match[1]) * 1000);
}

const CONTEXT_WORDING =
  /context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long|exceeds? the (maximum|max)\b.*\btokens?|input token count|token limit/i;

export function errorFromHttp(failure: HttpFailure, ctx: ErrorContext): LlmError {
  const { status } = failure;
  const detail = clip(failure.message);
  const said = detail === "" ? "" : `: ${detail}`;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(failure.headers) ?? failure.retryDelayMs;
    return make("rate-limit", `${ctx.label} is rate limiting requests (HTTP 429)${said}`, ctx, { status, retryAfterMs });
  }
  if (status >= 500) return make("server", `${ctx.label} had a server error (HTTP ${status})${said}`, ctx, { status });
  // 402 is OpenRouter's "out of credits": like a bad key, only the player's account can fix it.
  if (status === 401 || status === 403 || status === 402 || failure.credentialsRejected === true) {
    const hint = ctx.authHint === undefined ? "" : ` (${ctx.authHint})`;
    return make("auth", `${ctx.label} refused the credentials (HTTP ${status})${hint}${said}`, ctx, { status });
  }
  if (status === 408) return make("timeout", `${ctx.label} timed out the request (HTTP 408)${said}`, ctx, { status });
  if (status === 413 || failure.code === "context_length_exceeded" || CONTEXT_WORDING.test(failure.message)) {
    return make("context-overflow", `${ctx.label} says the prompt does not fit the model's context (HTTP ${status})${said}`, ctx, { status });
  }
  return make("invalid-request", `${ctx.label} rejected the request (HTTP ${status})${said}`, ctx, { status });
}

/** An error the provider itself detected, e.g. in what the server sent. */
export function llmError(kind: LlmErrorKind, message: string, ctx: ErrorContext): LlmError {
  return make(kind, `${ctx.label}: ${message}`, ctx);
}

const NETWORK_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH",
  "ENETDOWN", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set([
  "ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT",
]);
// undici reports a connection dropped mid-body as a bare TypeError("terminated").
const NETWORK_WORDING = /\bterminated\b|socket hang up|other side closed|fetch failed|ECONNRESET|ECONNREFUSED/i;

/** The error and its causes, outermost first, as far as they are Errors. */
function chain(error: unknown): Error[] {
  const out: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && out.length < 8) {
    out.push(current);
    current = current.cause;
  }
  return out;
}

function codeOf(error: Error): string | undefined {
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The last word on a failure that was not an HTTP refusal: the call's own halt wins, then errors
 * already typed, then transport failures recognised by code or wording.
 */
export function errorFromFailure(error: unknown, halt: Halt | undefined, ctx: ErrorContext, http?: HttpFailure): LlmError {
  if (halt === "aborted") return make("aborted", `${ctx.label}: the request was cancelled`, ctx);
  if (halt === "timeout") return make("timeout", `${ctx.label} did not answer within ${ctx.timeoutMs} ms`, ctx);
  if (error instanceof LlmError) return error;
  if (http !== undefined) return errorFromHttp(http, ctx);
  const errors = chain(error);
  const described = clip(errors.map((e) => codeOf(e) ?? e.message.replace(/\.$/, "")).filter((s) => s !== "").join(": "));
  for (const e of errors) {
    const code = codeOf(e);
    if (code !== undefined && TIMEOUT_CODES.has(code)) return make("timeout", `${ctx.label} timed out (${described})`, ctx);
    if (code !== undefined && NETWORK_CODES.has(code)) return make("network", `${ctx.label}: connection failed (${described})`, ctx);
  }
  if (errors.some((e) => NETWORK_WORDING.test(e.message))) {
    return make("network", `${ctx.label}: connection failed (${described})`, ctx);
  }
  if (errors.some((e) => e instanceof SyntaxError)) {
    return make("malformed-output", `${ctx.label} sent data that is not valid JSON (${described})`, ctx);
  }
  // Someone else's abort (not this call's signal) still means the answer will not come.
  if (errors.some((e) => e.name === "AbortError")) return make("aborted", `${ctx.label}: the request was cancelled`, ctx);
  return make("server", `${ctx.label} failed unexpectedly (${described || "no detail"})`, ctx);
}

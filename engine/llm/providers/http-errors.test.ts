import { describe, expect, it } from "vitest";
import { LlmError } from "../errors.js";
import { errorFromFailure, errorFromHttp, parseDuration, parseRetryAfter, redact, type ErrorContext } from "./http-errors.js";

const ctx: ErrorContext = { provider: "test:model", label: "Test", secrets: ["sk-very-secret"], timeoutMs: 1000, authHint: "set TEST_KEY" };

function withCode(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it("reads seconds, fractional seconds and HTTP dates", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:10 GMT" }), now)).toBe(10_000);
    expect(parseRetryAfter(new Headers({ "retry-after": "Tue, 31 Dec 2024 23:59:00 GMT" }), now)).toBe(0);
  });

  it("prefers OpenAI's retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "3" }), now)).toBe(250);
  });

  it("gives undefined for absent or unreadable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
  });
});

describe("parseDuration", () => {
  it("reads protobuf durations", () => {
    expect(parseDuration("13s")).toBe(13_000);
    expect(parseDuration("0.250s")).toBe(250);
    expect(parseDuration("13")).toBeUndefined();
    expect(parseDuration("1m")).toBeUndefined();
  });
});

describe("redact", () => {
  it("removes every occurrence of every secret, but not short strings", () => {
    expect(redact("key sk-very-secret and sk-very-secret", ["sk-very-secret"])).toBe("key [redacted] and [redacted]");
    expect(redact("a bad key", ["a"])).toBe("a bad key");
  });
});

describe("errorFromHttp", () => {
  it.each([
    [429, "rate-limit"], [500, "server"], [502, "server"], [503, "server"], [401, "auth"], [403, "auth"],
    [402, "auth"], [408, "timeout"], [413, "context-overflow"], [400, "invalid-request"], [404, "invalid-request"],
    [422, "invalid-request"],
  ] as const)("maps HTTP %i to %s", (status, kind) => {
    const error = errorFromHttp({ status, message: "nope" }, ctx);
    expect(error).toBeInstanceOf(LlmError);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.provider).toBe("test:model");
  });

  it("recognises context-length refusals by code and by wording", () => {
    expect(errorFromHttp({ status: 400, message: "too big", code: "context_length_exceeded" }, ctx).kind).toBe("context-overflow");
    expect(errorFromHttp({ status: 400, message: "prompt is too long: 9000 tokens > 8192 maximum" }, ctx).kind).toBe("context-overflow");
    expect(errorFromHttp({ status: 400, message: "The input token count (5) exceeds the maximum number of tokens allowed (4)." }, ctx).kind)
      .toBe("context-overflow");
  });

  it("uses the header's delay over the body's, and the body's when there is no header", () => {
    expect(errorFromHttp({ status: 429, message: "", headers: new Headers({ "retry-after": "2" }), retryDelayMs: 7000 }, ctx).retryAfterMs).toBe(2000);
    expect(errorFromHttp({ status: 429, message: "", retryDelayMs: 7000 }, ctx).retryAfterMs).toBe(7000);
    expect(errorFromHttp({ status: 429, message: "" }, ctx).retryAfterMs).toBeUndefined();
  });

  it("treats a body that rejects the credentials as auth whatever the status", () => {
    expect(errorFromHttp({ status: 400, message: "API key not valid", credentialsRejected: true }, ctx).kind).toBe("auth");
  });

  it("names the variable to set on auth failures and never repeats the secret", () => {
    const error = errorFromHttp({ status: 401, message: "Incorrect API key provided: sk-very-secret" }, ctx);
    expect(error.message).toContain("set TEST_KEY");
    expect(error.message).not.toContain("sk-very-secret");
  });

  it("clips long server messages", () => {
    expect(errorFromHttp({ status: 500, message: "x".repeat(5000) }, ctx).message.length).toBeLessThan(400);
  });
});

describe("errorFromFailure", () => {
  it("lets the call's own halt decide the kind", () => {
    expect(errorFromFailure(new Error("terminated"), "aborted", ctx).kind).toBe("aborted");
    expect(errorFromFailure(new Error("terminated"), "timeout", ctx).kind).toBe("timeout");
  });

  it("passes typed errors through", () => {
    const typed = new LlmError("malformed-output", "bad");
    expect(errorFromFailure(typed, undefined, ctx)).toBe(typed);
  });

  it("recognises transport failures by code anywhere in the cause chain", () => {
    expect(errorFromFailure(new TypeError("fetch failed", { cause: withCode("connect", "ECONNREFUSED") }), undefined, ctx).kind).toBe("network");
    expect(errorFromFailure(new TypeError("terminated", { cause: withCode("other side closed", "UND_ERR_SOCKET") }), undefined, ctx).kind).toBe("network");
    expect(errorFromFailure(withCode("read", "ECONNRESET"), undefined, ctx).kind).toBe("network");
    expect(errorFromFailure(new Error("socket hang up"), undefined, ctx).kind).toBe("network");
    expect(errorFromFailure(new TypeError("fetch failed", { cause: withCode("connect", "UND_ERR_CONNECT_TIMEOUT") }), undefined, ctx).kind).toBe("timeout");
  });

  it("maps unparseable JSON to malformed-output and a foreign abort to aborted", () => {
    expect(errorFromFailure(new SyntaxError("Unexpected token"), undefined, ctx).kind).toBe("malformed-output");
    expect(errorFromFailure(new DOMException("This operation was aborted", "AbortError"), undefined, ctx).kind).toBe("aborted");
  });

  it("maps anything else to a retryable server failure without the secret", () => {
    const error = errorFromFailure(new Error("weird sk-very-secret"), undefined, ctx);
    expect(error.kind).toBe("server");
    expect(error.message).not.toContain("sk-very-secret");
    expect(errorFromFailure("not even an Error", undefined, ctx).kind).toBe("server");
  });
});

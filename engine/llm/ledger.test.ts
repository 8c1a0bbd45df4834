import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { StoreError } from "../store/errors.js";
import { Ledger, LedgerOutcome, modelName, type LedgerRow } from "./ledger.js";

const row = (over: Partial<LedgerRow> = {}): LedgerRow => ({
  request: 0,
  time: "2025-01-01T00:00:00.000Z",
  taskType: "narration",
  complexity: "routine",
  slot: "utility",
  provider: "local",
  model: "a.gguf",
  inputTokens: 10,
  outputTokens: 20,
  costUsd: 0,
  latencyMs: 5,
  outcome: "ok",
  ...over,
});

const tempDirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "tw-ledger-"));
  tempDirs.push(dir);
  return join(dir, "usage.sqlite");
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const open: Ledger[] = [];
const track = (ledger: Ledger): Ledger => (open.push(ledger), ledger);
afterEach(() => {
  for (const ledger of open.splice(0)) ledger.close();
});

describe("Ledger", () => {
  it("stores and reads back rows, optional fields included", () => {
    const ledger = track(Ledger.open(":memory:"));
    ledger.record(row({ firstTokenMs: 3 }));
    ledger.record(row({ outcome: "error:rate-limit", errorKind: "rate-limit", errorMessage: "slow down", provider: "openrouter", model: "x/y" }));
    ledger.record(row({ outcome: "offline", provider: "offline", model: "offline" }));
    expect(ledger.rows()).toEqual([
      row({ firstTokenMs: 3 }),
      row({ outcome: "error:rate-limit", errorKind: "rate-limit", errorMessage: "slow down", provider: "openrouter", model: "x/y" }),
      row({ outcome: "offline", provider: "offline", model: "offline" }),
    ]);
  });

  it("buffers rows and writes each full batch on the event loop's next turn", async () => {
    const ledger = track(Ledger.open(":memory:", { batchSize: 3 }));
    ledger.record(row());
    ledger.record(row());
    ledger.record(row());
    expect(ledger.pendingRows).toBe(3);
    await new Promise(resolve => setImmediate(resolve));
    expect(ledger.pendingRows).toBe(0);
    ledger.record(row());
    expect(ledger.rows()).toHaveLength(4);
    expect(ledger.pendingRows).toBe(0);
  });

  it("writes at once when the event loop gets no turn for many batches", () => {
    const ledger = track(Ledger.open(":memory:", { batchSize: 2 }));
    for (let i = 0; i < 15; i++) ledger.record(row());
    expect(ledger.pendingRows).toBe(15);
    ledger.record(row());
    expect(ledger.pendingRows).toBe(0);
  });

  it("keeps rows it could not write in the background, and says why", async () => {
    const errors: unknown[] = [];
    const ledger = Ledger.open(":memory:", { batchSize: 1, onWriteError: error => errors.push(error) });
    ledger.close();
    ledger.record(row());
    await new Promise(resolve => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(ledger.pendingRows).toBe(1);
  });

  it("writes a partial batch after a while", async () => {
    const ledger = track(Ledger.open(":memory:", { flushAfterMs: 5 }));
    ledger.record(row());
    expect(ledger.pendingRows).toBe(1);
    await new Promise(resolve => setTimeout(resolve, 30));
    expect(ledger.pendingRows).toBe(0);
  });

  it("strips secrets from error messages and bounds their length", () => {
    const ledger = track(Ledger.open(":memory:"));
    const secrets = "key sk-or-v1-0123456789abcdef0123 and AIzaSyA1234567890abcdefghijklmnopqrstu and Authorization: Bearer abcdefghijklmnop at https://x/y?key=hunter22";
    ledger.record(row({ outcome: "error:auth", errorKind: "auth", errorMessage: secrets }));
    ledger.record(row({ outcome: "error:server", errorKind: "server", errorMessage: "x".repeat(5000) }));
    const [first, second] = ledger.rows();
    expect(first!.errorMessage).not.toMatch(/sk-or|AIza|abcdefghijklmnop|hunter22/);
    expect(first!.errorMessage).toContain("[redacted]");
    expect(second!.errorMessage!.length).toBeLessThanOrEqual(500);
  });

  it("filters by time and sums cost", () => {
    const ledger = track(Ledger.open(":memory:"));
    ledger.record(row({ time: "2025-01-01T10:00:00.000Z", costUsd: 1 }));
    ledger.record(row({ time: "2025-01-02T10:00:00.000Z", costUsd: 2 }));
    ledger.record(row({ time: "2025-01-03T10:00:00.000Z", costUsd: 4 }));
    expect(ledger.costSince("2025-01-02T00:00:00.000Z")).toBe(6);
    expect(ledger.costSince("2026-01-01T00:00:00.000Z")).toBe(0);
    expect(ledger.rows({ since: "2025-01-02T00:00:00.000Z", until: "2025-01-03T00:00:00.000Z" }).map(r => r.costUsd)).toEqual([2]);
  });

  it("hands out request ids that go on after a reopen", () => {
    const file = tempFile();
    const first = Ledger.open(file);
    expect(first.nextRequestId()).toBe(0);
    first.record(row({ request: first.nextRequestId() }));
    first.close();
    const second = track(Ledger.open(file));
    expect(second.rows()).toHaveLength(1);
    expect(second.nextRequestId()).toBe(2);
  });

  it("refuses a file that is not a usage ledger, naming it", () => {
    const file = tempFile();
    writeFileSync(file, "this is not sqlite at all, just some text that fills a page ".repeat(100));
    expect(() => Ledger.open(file)).toThrow(StoreError);
    expect(() => Ledger.open(file)).toThrow(file);
  });

  it("knows every outcome the router writes", () => {
    for (const outcome of ["ok", "cached", "retried", "fell-back", "offline", "error:auth", "skipped:circuit-open", "skipped:budget-daily", "skipped:context"]) {
      expect(LedgerOutcome.safeParse(outcome).success).toBe(true);
    }
    expect(LedgerOutcome.safeParse("error:oops").success).toBe(false);
  });

  it("names models as settings do, without the models folder", () => {
    expect(modelName({ provider: "local", file: "/home/x/models/a.gguf" })).toBe("a.gguf");
    expect(modelName({ provider: "openrouter", model: "qwen/qwen3-8b" })).toBe("qwen/qwen3-8b");
    expect(modelName({ provider: "openai-compatible", model: "llama3", baseUrl: "http://127.0.0.1:11434/v1", apiKeyEnv: "K" })).toBe("llama3@http://127.0.0.1:11434/v1");
  });
});

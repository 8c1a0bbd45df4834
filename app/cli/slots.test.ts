import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSlotsCli } from "./slots.js";

/** `npm run slots` against a real GGUF: default settings put every slot on the first model found. */

const sharedModels = process.env["TALEWEAVE_TEST_MODELS_DIR"] ?? resolve(import.meta.dirname, "../../../shared/models");
const MODEL = "stories260K.gguf";
let dir: string;
const saved = { ...process.env };

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }), text: () => chunks.join("") };
}

beforeAll(() => {
  const source = join(sharedModels, MODEL);
  if (!existsSync(source)) throw new Error(`Test model missing: ${source} (set TALEWEAVE_TEST_MODELS_DIR to a folder holding ${MODEL})`);
  dir = mkdtempSync(join(tmpdir(), "taleweave-slots-"));
  mkdirSync(join(dir, "models"));
  copyFileSync(source, join(dir, "models", MODEL));
  process.env["TALEWEAVE_MODELS_DIR"] = join(dir, "models");
  process.env["TALEWEAVE_DATA_DIR"] = join(dir, "data");
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run slots", () => {
  it("shows every slot on the one model in the folder, then offline", async () => {
    const out = capture();
    const code = await runSlotsCli(["show"], { stdout: out.stream, stderr: capture().stream, env: {} });
    expect(code).toBe(0);
    for (const slot of ["main", "cot", "utility"]) expect(out.text()).toContain(`${slot}:\n  1. ${MODEL} — file present\n  then offline`);
  });

  it("tests each slot with a real call and reports latency and a sample", async () => {
    const out = capture();
    const code = await runSlotsCli(["test", "--json"], { stdout: out.stream, stderr: capture().stream, env: {} });
    const results = JSON.parse(out.text()) as { slot: string; ok: boolean; latencyMs: number; sample: string }[];
    expect(code).toBe(0);
    expect(results.map((r) => r.slot)).toEqual(["main", "cot", "utility"]);
    for (const r of results) {
      expect(r.ok).toBe(true);
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
      expect(r.sample.length).toBeGreaterThan(0);
    }
  });

  it("reports usage from the ledger, counting the calls just made", async () => {
    const out = capture();
    expect(await runSlotsCli(["usage", "--json"], { stdout: out.stream, stderr: capture().stream, env: {} })).toBe(0);
    const report = JSON.parse(out.text()) as { requests: number; bySlot: { slot: string; calls: number }[]; turnsNeedingModel: number };
    expect(report.requests).toBeGreaterThanOrEqual(3);
    expect(report.bySlot.map((s) => s.slot).sort()).toEqual(["cot", "main", "utility"]);
    expect(report.turnsNeedingModel).toBe(0);
  });

  it("refuses an unknown slot", async () => {
    const err = capture();
    expect(await runSlotsCli(["test", "bogus"], { stdout: capture().stream, stderr: err.stream, env: {} })).toBe(2);
    expect(err.text()).toContain("Usage");
  });
});

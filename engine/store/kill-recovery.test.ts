import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { SaveStore, stateHash } from "./index.js";
import { tinyState, tinyWorld } from "./fixtures/tiny-world.js";

const CHILD = fileURLToPath(new URL("./fixtures/commit-loop.ts", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-kill-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the commit loop on `file` until it has reported `turns` more commits, then kills it with SIGKILL. */
function commitUntilKilled(file: string, turns: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, file], { stdio: ["ignore", "pipe", "pipe"] });
    let lastReported = -1;
    let reported = 0;
    let pending = "";
    let stderr = "";
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        lastReported = Number(line);
        reported++;
      }
      if (reported >= turns && !killed) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    // "close", not "exit": the numbers still in the pipe when the child died must be read too.
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL" && killed) resolve(lastReported);
      else reject(new Error(`the commit loop stopped by itself (${signal ?? code}): ${stderr}`));
    });
  });
}

it("loses at most the turn in progress when the process is killed anywhere in its commit loop, and the save still opens", async () => {
  const store = new SaveStore(dir);
  store.create("victim", { worldId: tinyWorld.id, seed: 7, state: tinyState() }).close();
  const file = store.path("victim");

  let previousHead = 0;
  for (const turns of [40, 150, 400]) {
    const lastReported = await commitUntilKilled(file, turns);
    expect(lastReported).toBeGreaterThanOrEqual(previousHead + turns);

    const save = store.open("victim");
    const head = save.head();
    // The kill can land after a commit returned but before its number was printed: then one more.
    expect(head.turn === lastReported || head.turn === lastReported + 1).toBe(true);
    const stored = [...save.turns()];
    expect(stored.length).toBe(head.turn);
    expect(stored.every((t) => t.modelCalls.length === 3)).toBe(true);
    for (const t of stored) expect(save.stateAt(t.turn).stateHash).toBe(t.stateHash);
    expect(head.stateHash).toBe(stateHash(head.state));
    save.close();

    const db = new Database(file);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
    previousHead = head.turn;
  }
});

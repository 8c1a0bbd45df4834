import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBuiltInWorld } from "../worlds/index.js";
import { SaveStore } from "../store/index.js";
import { GameSession, type SessionEvent } from "./index.js";

const world = loadBuiltInWorld();
let dir: string;
let store: SaveStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-session-"));
  store = new SaveStore(dir);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("GameSession", () => {
  it("plays a turn: events stream to listeners in order, and the turn is saved", async () => {
    const session = GameSession.start(world, store, "one", 5);
    const seen: SessionEvent["type"][] = [];
    session.on((e) => seen.push(e.type));
    const outcome = await session.submit("look");
    expect(outcome.type).toBe("turn");
    expect(seen).toEqual(["turn-started", "narration-delta", "turn-completed", "state-changed"]);
    session.close();
    const reopened = GameSession.resume(world, store, "one");
    expect(reopened.state.turn).toBe(1);
    reopened.close();
  });

  it("undo takes back exactly one turn, in memory and in the save", async () => {
    const session = GameSession.start(world, store, "undo", 5);
    await session.submit("look");
    const before = session.state;
    await session.submit("wait");
    expect(session.state.turn).toBe(2);
    const undo = await session.submit("undo");
    expect(undo).toMatchObject({ type: "meta", command: "undo", ok: true });
    expect(session.state).toEqual(before);
    session.close();
    const reopened = GameSession.resume(world, store, "undo");
    expect(reopened.state).toEqual(before);
    reopened.close();
  });

  it("save NAME copies the game and plays on in the copy; load NAME switches back", async () => {
    const session = GameSession.start(world, store, "first", 5);
    await session.submit("wait");
    expect(await session.submit("save second")).toMatchObject({ ok: true });
    expect(session.saveName).toBe("second");
    await session.submit("wait");
    expect(session.state.turn).toBe(2);
    expect(await session.submit("load first")).toMatchObject({ ok: true });
    expect(session.saveName).toBe("first");
    expect(session.state.turn).toBe(1);
    session.close();
  });

  it("a load of a missing save is a clear message, and play goes on", async () => {
    const session = GameSession.start(world, store, "s", 5);
    const outcome = await session.submit("load nowhere");
    expect(outcome).toMatchObject({ type: "meta", ok: false });
    expect(outcome.type === "meta" && outcome.message).toMatch(/nowhere/);
    expect((await session.submit("look")).type).toBe("turn");
    session.close();
  });

  it("refuses to resume a save of another world", () => {
    const session = GameSession.start(world, store, "w", 5);
    session.close();
    expect(() => GameSession.resume({ ...world, id: "elsewhere" }, store, "w")).toThrow(/not of "elsewhere"/);
  });
});

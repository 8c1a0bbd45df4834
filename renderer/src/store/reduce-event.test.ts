import { describe, expect, it } from "vitest";
import { catalogModel, entry, view } from "../testing/fake-client.js";
import { itemsFromLog } from "./log-items.js";
import { reduceEvent, updateProgress } from "./reduce-event.js";
import { INITIAL_DATA, type AppData } from "./state.js";

describe("host events", () => {
  it("ignore narration for another turn than the one being played", () => {
    const data: AppData = { ...INITIAL_DATA, draft: { turn: 4, input: "look", text: "A" } };
    expect(reduceEvent(data, { type: "narration-delta", turn: 3, text: "stale" })).toEqual({});
    expect(reduceEvent(data, { type: "narration-delta", turn: 4, text: "B" })).toEqual({ draft: { turn: 4, input: "look", text: "AB" } });
  });

  it("add a finished turn only once, whichever of event and answer comes first", () => {
    const log = itemsFromLog([entry(0, "start", ""), entry(1, "one")]);
    const data: AppData = { ...INITIAL_DATA, log };
    const again = reduceEvent(data, { type: "turn-completed", entry: entry(1, "one"), view: view({ turn: 1 }) });
    expect(again.log).toBe(log);
    const next = reduceEvent(data, { type: "turn-completed", entry: entry(2, "two"), view: view({ turn: 2 }) });
    expect(next.log).toHaveLength(3);
  });

  it("keep one progress bar per file and drop it when done", () => {
    let bars = updateProgress([], { kind: "load", file: "a.gguf", progress: 0.2 });
    bars = updateProgress(bars, { kind: "load", file: "a.gguf", progress: 0.6 });
    bars = updateProgress(bars, { kind: "download", file: "b.gguf", progress: 0.1 });
    expect(bars).toEqual([
      { kind: "load", file: "a.gguf", progress: 0.6 },
      { kind: "download", file: "b.gguf", progress: 0.1 },
    ]);
    expect(updateProgress(bars, { kind: "load", file: "a.gguf", progress: 1 })).toEqual([{ kind: "download", file: "b.gguf", progress: 0.1 }]);
  });

  it("make the models list stale when the models folder changes", () => {
    const data: AppData = { ...INITIAL_DATA, models: { dir: "/m", files: [] } };
    expect(reduceEvent(data, { type: "models-changed" })).toEqual({ models: undefined });
  });

  it("end a download's bar however it ended, and mark the model in the catalog in place", () => {
    const catalog = { dir: "/m", models: [catalogModel({ status: "downloading", progress: 0.5 }), catalogModel({ id: "other", file: "other.gguf" })] };
    const progress = [{ kind: "download", file: "tiny.gguf", progress: 0.5 }, { kind: "load", file: "tiny.gguf", progress: 0.2 }] as const;
    const data: AppData = { ...INITIAL_DATA, catalog, progress };
    const done = reduceEvent(data, { type: "download-ended", id: "tiny", file: "tiny.gguf", outcome: "downloaded" });
    expect(done.progress).toEqual([{ kind: "load", file: "tiny.gguf", progress: 0.2 }]);
    expect(done.catalog?.models[0]).toEqual(catalogModel({ status: "present" }));
    expect(done.catalog?.models[1]).toBe(catalog.models[1]);
    const failed = reduceEvent(data, { type: "download-ended", id: "tiny", file: "tiny.gguf", outcome: "failed" });
    expect(failed.catalog?.models[0]?.status).toBe("absent");
    expect(reduceEvent(INITIAL_DATA, { type: "download-ended", id: "tiny", file: "tiny.gguf", outcome: "cancelled" })).toEqual({ progress: [], catalog: undefined });
  });
});

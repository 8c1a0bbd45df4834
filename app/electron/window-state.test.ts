import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clampToDisplays, DEFAULT_STATE, loadWindowState, minimumSizeFor, MIN_SIZE, saveWindowState, type Rect } from "./window-state.js";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "taleweave-window-"));
  file = path.join(dir, "window-state.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("loadWindowState / saveWindowState", () => {
  it("round-trips a state", () => {
    const state = { x: 40, y: 30, width: 1400, height: 900, maximized: true };
    saveWindowState(file, state);
    expect(loadWindowState(file)).toEqual(state);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(state);
  });

  it("gives the defaults for a missing file", () => {
    expect(loadWindowState(path.join(dir, "nothing.json"))).toEqual(DEFAULT_STATE);
  });

  it.each([
    ["not JSON", "{ width: 1"],
    ["empty", ""],
    ["an array", "[1,2]"],
    ["strings", JSON.stringify({ width: "1280", height: "800" })],
    ["zero size", JSON.stringify({ width: 0, height: 800 })],
    ["absurd size", JSON.stringify({ width: 1e9, height: 800 })],
    ["fractions", JSON.stringify({ width: 1280.5, height: 800 })],
    ["NaN smuggled as null", JSON.stringify({ x: null, y: 0, width: 1280, height: 800 })],
  ])("gives the defaults for a corrupt file: %s", (_label, text) => {
    writeFileSync(file, text);
    expect(loadWindowState(file)).toEqual(DEFAULT_STATE);
  });

  it("refuses to save an invalid state", () => {
    expect(() => saveWindowState(file, { width: -1, height: 10, maximized: false })).toThrow();
  });
});

describe("clampToDisplays", () => {
  const primary: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
  const right: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

  it("keeps a window that fits where it is", () => {
    const state = { x: 100, y: 50, width: 1280, height: 800, maximized: false };
    expect(clampToDisplays(state, [primary, right], primary)).toEqual(state);
  });

  it("keeps a window on a second display", () => {
    const state = { x: 2200, y: 100, width: 1600, height: 1000, maximized: false };
    expect(clampToDisplays(state, [primary, right], primary)).toEqual(state);
  });

  it("moves a window hanging off the edge back inside the display it mostly covers", () => {
    expect(clampToDisplays({ x: 1500, y: 900, width: 1280, height: 800, maximized: false }, [primary], primary)).toEqual({ x: 640, y: 240, width: 1280, height: 800, maximized: false });
    expect(clampToDisplays({ x: -300, y: -20, width: 1280, height: 800, maximized: false }, [primary], primary)).toEqual({ x: 0, y: 0, width: 1280, height: 800, maximized: false });
  });

  it("shrinks a window larger than its display", () => {
    expect(clampToDisplays({ x: 0, y: 0, width: 3000, height: 2000, maximized: false }, [primary], primary)).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: false });
  });

  it("forgets the position of a window on a display that is gone, and fits it to the primary", () => {
    const onUnplugged = { x: 2200, y: 100, width: 2400, height: 1300, maximized: true };
    expect(clampToDisplays(onUnplugged, [primary], primary)).toEqual({ width: 1920, height: 1040, maximized: true });
  });

  it("fits a window with no position to the primary display", () => {
    expect(clampToDisplays({ width: 5000, height: 600, maximized: false }, [primary], primary)).toEqual({ width: 1920, height: 600, maximized: false });
  });
});

describe("minimumSizeFor", () => {
  it("is 1024×640 unless the display is smaller", () => {
    expect(minimumSizeFor({ x: 0, y: 0, width: 1920, height: 1080 })).toEqual(MIN_SIZE);
    expect(minimumSizeFor({ x: 0, y: 0, width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
  });
});

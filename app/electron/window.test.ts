import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserWindowConstructorOptions } from "electron";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { APP_ENTRY_URL } from "./security.js";
import { createGameWindow, type WindowDeps } from "./window.js";

type Listener = () => void;

class FakeWindow {
  static created: FakeWindow[] = [];
  readonly listeners = new Map<string, Listener>();
  readonly webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
  readonly loadURL = vi.fn(async () => undefined);
  readonly maximize = vi.fn();
  readonly show = vi.fn();
  bounds = { x: 10, y: 20, width: 1300, height: 820 };
  maximized = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    FakeWindow.created.push(this);
  }
  on(name: string, listener: Listener): this {
    this.listeners.set(name, listener);
    return this;
  }
  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }
  getNormalBounds() {
    return this.bounds;
  }
  isMaximized() {
    return this.maximized;
  }
}

const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
const deps = {
  BrowserWindow: FakeWindow as unknown as WindowDeps["BrowserWindow"],
  screen: { getAllDisplays: () => [{ workArea }], getPrimaryDisplay: () => ({ workArea }) } as unknown as WindowDeps["screen"],
};

let dir: string;
let stateFile: string;
beforeEach(() => {
  FakeWindow.created = [];
  dir = mkdtempSync(path.join(tmpdir(), "taleweave-win-"));
  stateFile = path.join(dir, "window-state.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function create(): FakeWindow {
  createGameWindow(deps, { preload: "/dist/electron/preload.cjs", stateFile });
  const window = FakeWindow.created.at(-1);
  if (window === undefined) throw new Error("no window");
  return window;
}

describe("createGameWindow", () => {
  it("creates the window with the secure preferences and loads only our page", () => {
    const window = create();
    expect(window.options.webPreferences).toMatchObject({ preload: "/dist/electron/preload.cjs", contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window.options.show).toBe(false);
    expect(window.loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
    expect(window.webContents.setWindowOpenHandler).toHaveBeenCalled();
    expect(window.webContents.on).toHaveBeenCalledWith("will-navigate", expect.any(Function));
  });

  it("opens at the remembered place, fitted to the display, and remembers it on close", () => {
    writeFileSync(stateFile, JSON.stringify({ x: 1700, y: 30, width: 1400, height: 900, maximized: true }));
    const window = create();
    expect(window.options).toMatchObject({ x: 520, y: 30, width: 1400, height: 900, minWidth: 1024, minHeight: 640 });
    expect(window.maximize).toHaveBeenCalled();
    window.maximized = false;
    window.listeners.get("close")?.();
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toEqual({ x: 10, y: 20, width: 1300, height: 820, maximized: false });
  });

  it("opens centred at the default size on first run", () => {
    const window = create();
    expect(window.options).toMatchObject({ width: 1280, height: 800 });
    expect(window.options.x).toBeUndefined();
    expect(window.maximize).not.toHaveBeenCalled();
  });

  it("still closes when the state cannot be written", () => {
    const window = create();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    window.bounds = { x: 0, y: 0, width: 0, height: 0 };
    expect(() => window.listeners.get("close")?.()).not.toThrow();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Response } from "../../engine/api/protocol.js";
import { CALL_CHANNEL } from "./channels.js";
import { CONTENT_SECURITY_POLICY } from "./security.js";

/**
 * main.ts with Electron and the engine stood in for: what it wires together at startup. The
 * pieces it wires are tested on their own (security, ipc, window, key-store); this checks that
 * each is actually applied, in the real module Electron runs.
 */

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    userData: "",
    rendererBuilt: true,
    windows: [] as Array<{ options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn> }>,
    appListeners: new Map<string, Listener>(),
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, Listener>(),
    privileged: [] as unknown[],
    headersListener: undefined as Listener | undefined,
    permissionHandler: undefined as Listener | undefined,
    menuTemplate: undefined as unknown,
    errorBoxes: [] as string[][],
    exitCodes: [] as number[],
    openedPaths: [] as string[],
    serviceOptions: undefined as Record<string, unknown> | undefined,
    handled: [] as unknown[],
  };
  return state;
});

vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  // Only the renderer's index.html is faked, so the test does not depend on a built renderer.
  return { ...fs, existsSync: (file: string) => (/renderer[\\/]dist[\\/]index\.html$/.test(String(file)) ? fake.rendererBuilt : fs.existsSync(file)) };
});

vi.mock("electron", () => {
  class BrowserWindow {
    readonly webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn(), isDestroyed: () => false, send: vi.fn(), mainFrame: { processId: 1, routingId: 1, url: "app://taleweave/index.html" } };
    readonly loadURL = vi.fn(async () => undefined);
    constructor(readonly options: Record<string, unknown>) {
      fake.windows.push(this);
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    maximize() {}
  }
  const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
  return {
    app: {
      isPackaged: true,
      getPath: (name: string) => (name === "userData" ? fake.userData : "/nowhere"),
      enableSandbox: vi.fn(),
      requestSingleInstanceLock: () => true,
      whenReady: () => Promise.resolve(),
      on: (name: string, listener: Listener) => fake.appListeners.set(name, listener),
      quit: vi.fn(),
      exit: (code: number) => fake.exitCodes.push(code),
    },
    BrowserWindow,
    dialog: { showErrorBox: (title: string, message: string) => fake.errorBoxes.push([title, message]) },
    ipcMain: { handle: (channel: string, handler: Listener) => fake.ipcHandlers.set(channel, handler), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (fake.menuTemplate = menu) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
      handle: (scheme: string, handler: Listener) => fake.protocolHandlers.set(scheme, handler),
    },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea }], getPrimaryDisplay: () => ({ workArea }) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (fake.permissionHandler = handler),
        setPermissionCheckHandler: vi.fn(),
        webRequest: { onHeadersReceived: (listener: Listener) => (fake.headersListener = listener), onBeforeRequest: vi.fn() },
      },
    },
    shell: { openPath: async (dir: string) => (fake.openedPaths.push(dir), "") },
  };
});

vi.mock("../../engine/api/service.js", () => ({
  GameService: {
    open: async (options: Record<string, unknown>) => {
      fake.serviceOptions = options;
      return {
        handle: async (request: unknown): Promise<Response> => {
          fake.handled.push(request);
          return { id: 0, ok: true, result: [] };
        },
        onEvent: () => () => undefined,
        close: async () => undefined,
      };
    },
  },
}));

async function startMain(): Promise<void> {
  vi.resetModules();
  await import("./main.js");
  await vi.waitFor(() => {
    if (fake.windows.length === 0 && fake.exitCodes.length === 0) throw new Error("not started yet");
  });
}

beforeEach(() => {
  fake.userData = mkdtempSync(path.join(tmpdir(), "taleweave-main-"));
  fake.rendererBuilt = true;
  fake.windows.length = 0;
  fake.appListeners.clear();
  fake.ipcHandlers.clear();
  fake.protocolHandlers.clear();
  fake.privileged.length = 0;
  fake.errorBoxes.length = 0;
  fake.exitCodes.length = 0;
  fake.openedPaths.length = 0;
  fake.handled.length = 0;
});
afterEach(() => rmSync(fake.userData, { recursive: true, force: true }));

describe("main", () => {
  it("opens one secure window on our app:// page", async () => {
    await startMain();
    expect(fake.windows).toHaveLength(1);
    const window = fake.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(window.loadURL).toHaveBeenCalledWith("app://taleweave/index.html");
    expect(fake.privileged).toEqual([expect.objectContaining({ scheme: "app" })]);
    expect([...fake.protocolHandlers.keys()]).toEqual(["app"]);
  });

  it("hardens the session: CSP on responses, permissions denied", async () => {
    await startMain();
    const callback = vi.fn();
    fake.headersListener?.({ responseHeaders: {} }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
    const granted = vi.fn();
    fake.permissionHandler?.({}, "media", granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it("runs the engine in the user's data directory with a keychain-backed key store", async () => {
    await startMain();
    expect(fake.serviceOptions).toMatchObject({
      savesDir: path.join(fake.userData, "saves"),
      modelsDir: path.join(fake.userData, "models"),
      dataDir: path.join(fake.userData, "data"),
      offline: false,
    });
    const keyStore = fake.serviceOptions?.keyStore as { set(env: string, key: string): void };
    // The fake safeStorage has no encryption: the store must refuse rather than write plain text.
    expect(() => keyStore.set("GEMINI_API_KEY", "k")).toThrow(/no keychain/);
  });

  it("answers IPC only through the validated call handler", async () => {
    await startMain();
    expect([...fake.ipcHandlers.keys()]).toEqual([CALL_CHANNEL]);
    const handler = fake.ipcHandlers.get(CALL_CHANNEL)!;
    const window = fake.windows[0] as unknown as { webContents: { mainFrame: unknown } };
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    await expect(handler(event, { id: 1, method: "saves.list", params: {} })).resolves.toMatchObject({ ok: true });
    await expect(handler(event, { id: 2, method: "nope", params: {} })).resolves.toMatchObject({ ok: false });
    await expect(handler({ sender: {}, senderFrame: null }, { id: 3, method: "saves.list", params: {} })).resolves.toMatchObject({ ok: false });
    expect(fake.handled).toEqual([{ id: 1, method: "saves.list", params: {} }]);
  });

  it("has an Open Models Folder menu item that opens the models folder", async () => {
    await startMain();
    const items = (fake.menuTemplate as Array<{ submenu?: Array<{ id?: string; click?: () => void }> }>).flatMap((menu) => menu.submenu ?? []);
    items.find((item) => item.id === "open-models-folder")?.click?.();
    await vi.waitFor(() => expect(fake.openedPaths).toEqual([path.join(fake.userData, "models")]));
  });

  it("says what to do, and exits, when the renderer is not built", async () => {
    fake.rendererBuilt = false;
    await startMain();
    expect(fake.windows).toHaveLength(0);
    expect(fake.exitCodes).toEqual([1]);
    expect(fake.errorBoxes[0]?.[1]).toMatch(/npm run desktop/);
  });
});

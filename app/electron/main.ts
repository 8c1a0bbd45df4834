import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from "electron";
import { GameService } from "../../engine/api/service.js";
import { registerAppScheme, serveRenderer } from "./app-protocol.js";
import { createAppDirs, resolveAppDirs } from "./dirs.js";
import { forwardEvents, registerCallHandler } from "./ipc.js";
import { KEYS_FILE, SafeStorageKeyStore } from "./key-store.js";
import { menuTemplate } from "./menu.js";
import { hardenSession } from "./security.js";
import { createGameWindow } from "./window.js";
import { WINDOW_STATE_FILE } from "./window-state.js";

/**
 * The desktop app's main process: the engine (GameService) runs here, the renderer gets only
 * the IPC bridge. This file is bundled to dist/electron/main.mjs (app/electron/build.ts), and its
 * own import.meta.url is the bundle's, so the paths below are relative to dist/electron/ — which
 * sits beside renderer/dist both in the repository and inside the packaged app.
 */
const PRELOAD = fileURLToPath(new URL("./preload.cjs", import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL("../../renderer/dist/", import.meta.url));

// Privileged schemes must be registered before the app is ready.
registerAppScheme(protocol);
// Every renderer is sandboxed, including any Electron itself creates.
app.enableSandbox();

function fail(message: string): void {
  dialog.showErrorBox("Taleweave cannot start", message);
  app.exit(1);
}

async function openFolder(label: string, dir: string): Promise<void> {
  const problem = await shell.openPath(dir);
  if (problem !== "") dialog.showErrorBox(`Could not open the ${label} folder`, `${dir}\n\n${problem}`);
}

async function start(): Promise<void> {
  const dirs = resolveAppDirs({ userData: app.getPath("userData"), packaged: app.isPackaged, env: process.env });
  createAppDirs(dirs);
  hardenSession(session.defaultSession);
  if (!existsSync(path.join(RENDERER_DIR, "index.html"))) {
    fail(`The game's interface is not built (${RENDERER_DIR} has no index.html). Run "npm run desktop", which builds it first.`);
    return;
  }
  serveRenderer(protocol, RENDERER_DIR);

  let service: GameService;
  try {
    service = await GameService.open({
      savesDir: dirs.savesDir,
      dataDir: dirs.dataDir,
      modelsDir: dirs.modelsDir,
      keyStore: new SafeStorageKeyStore(path.join(dirs.shellDir, KEYS_FILE), safeStorage),
      offline: process.argv.includes("--offline"),
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return;
  }

  let window: BrowserWindow | undefined;
  const contents = () => window?.webContents;
  const openWindow = (): void => {
    window = createGameWindow({ BrowserWindow, screen }, { preload: PRELOAD, stateFile: path.join(dirs.shellDir, WINDOW_STATE_FILE) });
    window.on("closed", () => {
      window = undefined;
    });
  };
  const stopCalls = registerCallHandler(ipcMain, service, contents);
  const stopEvents = forwardEvents(service, contents);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(
    { openModelsFolder: () => void openFolder("models", dirs.modelsDir), openSavesFolder: () => void openFolder("saves", dirs.savesDir) },
    { mac: process.platform === "darwin", devTools: !app.isPackaged },
  )));
  openWindow();

  app.on("second-instance", () => {
    if (window === undefined) {
      openWindow();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // macOS keeps an app running with no windows; clicking the dock icon brings the game back.
  app.on("activate", () => {
    if (window === undefined) openWindow();
  });
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });

  // The engine finishes (or cancels) the turn under way and closes its save before the process
  // ends, so quitting mid-turn never leaves a half-written save behind.
  let closed = false;
  app.on("will-quit", (event) => {
    if (closed) return;
    event.preventDefault();
    stopCalls();
    stopEvents();
    void service.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

// One instance at a time: two would share the same saves and usage ledger.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start).catch((error: unknown) => fail(error instanceof Error ? error.stack ?? error.message : String(error)));
}

import type { BrowserWindow as BrowserWindowClass, BrowserWindowConstructorOptions, Screen } from "electron";
import { APP_ENTRY_URL, hardenWebContents, secureWebPreferences } from "./security.js";
import { clampToDisplays, loadWindowState, minimumSizeFor, saveWindowState } from "./window-state.js";

/**
 * The game window: secure preferences, the remembered size and position fitted to today's
 * displays, and our own page from app:// — never anything else.
 */
export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowClass;
  screen: Pick<Screen, "getAllDisplays" | "getPrimaryDisplay">;
}

export function createGameWindow(deps: WindowDeps, options: { preload: string; stateFile: string }): BrowserWindowClass {
  const primary = deps.screen.getPrimaryDisplay().workArea;
  const state = clampToDisplays(loadWindowState(options.stateFile), deps.screen.getAllDisplays().map((display) => display.workArea), primary);
  const minimum = minimumSizeFor(primary);
  const window = new deps.BrowserWindow({
    ...(state.x === undefined || state.y === undefined ? {} : { x: state.x, y: state.y }),
    width: state.width,
    height: state.height,
    minWidth: minimum.width,
    minHeight: minimum.height,
    title: "Taleweave",
    // Shown once the first paint is ready, so the player never sees an empty white frame.
    show: false,
    webPreferences: secureWebPreferences(options.preload),
  });
  hardenWebContents(window.webContents);
  if (state.maximized) window.maximize();
  window.once("ready-to-show", () => window.show());
  window.on("close", () => {
    try {
      saveWindowState(options.stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      // Forgetting the window's place is no reason to stop the player from closing it.
      console.warn(`taleweave: could not remember the window's position: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

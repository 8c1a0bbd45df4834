import { contextBridge, ipcRenderer } from "electron";
import { createGameClient } from "./bridge.js";

/**
 * Runs in the sandboxed renderer before the page. It exposes exactly the GameClient as
 * `window.taleweave` and nothing else; the page's own code never sees ipcRenderer or Node.
 * Built as one CommonJS bundle (app/electron/build.ts): a sandboxed preload cannot load files.
 */
const client = createGameClient(ipcRenderer);

contextBridge.exposeInMainWorld("taleweave", { call: client.call, onEvent: client.onEvent });

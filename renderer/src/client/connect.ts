import type { GameClient } from "../../../engine/api/index.js";
import { WebSocketClient } from "./ws-client.js";

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser on the web host. */
    readonly taleweave?: GameClient;
  }
}

export type Connection =
  | { readonly ok: true; readonly client: GameClient }
  | { readonly ok: false; readonly message: string };

/**
 * The desktop app's bridge when there is one, else the web host's WebSocket on the same origin,
 * authorised by the per-launch token the page was opened with.
 */
export function connect(win: Pick<Window, "taleweave" | "location">): Connection {
  if (win.taleweave !== undefined) return { ok: true, client: win.taleweave };
  const url = webSocketUrl(win.location);
  if (url === undefined) {
    return { ok: false, message: "This page was opened without its access token. Open the full address Taleweave printed when it started (it ends in ?token=…)." };
  }
  return { ok: true, client: new WebSocketClient(url) };
}

export function webSocketUrl(location: Pick<Location, "protocol" | "host" | "search">): string | undefined {
  const token = new URLSearchParams(location.search).get("token");
  if (token === null || token === "") return undefined;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

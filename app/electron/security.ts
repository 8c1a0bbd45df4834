import type { Session, WebContents, WebPreferences } from "electron";

/**
 * Everything that keeps the renderer untrusted (DESIGN.md, "Boundaries and safety"): it runs
 * isolated and sandboxed with no Node, loads only our own files from the app:// scheme, cannot
 * navigate, open windows, attach webviews, reach the network or be granted any permission.
 */

export const APP_SCHEME = "app";
export const APP_HOST = "taleweave";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * connect-src 'none': the renderer reaches the engine only through the preload's IPC bridge, so
 * no fetch, XHR or WebSocket is ever legitimate. 'unsafe-inline' styles are allowed because React
 * sets style attributes; scripts stay 'self' only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** True only for URLs of our own bundled renderer. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The page is a single-page app: any navigation away from it (a dropped file, a link, a script
 * setting location) could replace our renderer with content that then holds the IPC bridge.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on("will-navigate", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
}

/**
 * The CSP goes on every response the session sees, in addition to the app:// handler's own
 * header, so a response from any other source is just as locked down; requests to the network
 * are cancelled outright, since the renderer has no business there.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] },
    });
  });
  session.webRequest.onBeforeRequest({ urls: ["http://*/*", "https://*/*", "ws://*/*", "wss://*/*", "ftp://*/*"] }, (_details, callback) => {
    callback({ cancel: true });
  });
}

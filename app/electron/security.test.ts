import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Session, WebContents } from "electron";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerAppScheme, serveRendererFile } from "./app-protocol.js";
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents, isAppUrl, secureWebPreferences } from "./security.js";

describe("secureWebPreferences", () => {
  it("isolates and sandboxes the renderer, with no Node and web security on", () => {
    const preferences = secureWebPreferences("/app/preload.cjs");
    expect(preferences).toMatchObject({
      preload: "/app/preload.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe("CONTENT_SECURITY_POLICY", () => {
  it("is exactly the policy the design asks for", () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
});

describe("isAppUrl", () => {
  it("accepts only our scheme and host", () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl("app://taleweave/assets/index.js")).toBe(true);
    for (const url of ["https://taleweave/", "file:///index.html", "app://other/index.html", "javascript:alert(1)", "not a url", "http://127.0.0.1:5173/"]) {
      expect(isAppUrl(url)).toBe(false);
    }
  });
});

type Listener = (...args: unknown[]) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: vi.fn((name: string, listener: Listener) => listeners.set(name, listener)),
    setWindowOpenHandler: vi.fn((handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler;
    }),
  };
  return { contents: contents as unknown as WebContents, listeners, openHandler: () => openHandler };
}

function fire(listeners: Map<string, Listener>, name: string, url?: string): boolean {
  const event = { preventDefault: vi.fn() };
  const listener = listeners.get(name);
  if (listener === undefined) throw new Error(`no ${name} listener`);
  listener(event, url);
  return event.preventDefault.mock.calls.length > 0;
}

describe("hardenWebContents", () => {
  it("blocks navigation and redirects away from our page", () => {
    const { contents, listeners } = fakeWebContents();
    hardenWebContents(contents);
    expect(fire(listeners, "will-navigate", "https://evil.example/")).toBe(true);
    expect(fire(listeners, "will-navigate", "file:///etc/passwd")).toBe(true);
    expect(fire(listeners, "will-redirect", "https://evil.example/")).toBe(true);
    expect(fire(listeners, "will-navigate", "app://taleweave/index.html")).toBe(false);
  });

  it("denies every new window and webview", () => {
    const { contents, listeners, openHandler } = fakeWebContents();
    hardenWebContents(contents);
    expect(openHandler()?.({ url: "https://example.com/" })).toEqual({ action: "deny" });
    expect(openHandler()?.({ url: "app://taleweave/index.html" })).toEqual({ action: "deny" });
    expect(fire(listeners, "will-attach-webview")).toBe(true);
  });
});

function fakeSession() {
  let permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  let permissionCheck: ((...args: unknown[]) => boolean) | undefined;
  let headers: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void) | undefined;
  let before: { filter: { urls: string[] }; listener: (details: unknown, callback: (response: { cancel?: boolean }) => void) => void } | undefined;
  const session = {
    setPermissionRequestHandler: vi.fn((handler: typeof permissionRequest) => {
      permissionRequest = handler;
    }),
    setPermissionCheckHandler: vi.fn((handler: typeof permissionCheck) => {
      permissionCheck = handler;
    }),
    webRequest: {
      onHeadersReceived: vi.fn((listener: typeof headers) => {
        headers = listener;
      }),
      onBeforeRequest: vi.fn((filter: { urls: string[] }, listener: NonNullable<typeof before>["listener"]) => {
        before = { filter, listener };
      }),
    },
  };
  return {
    session: session as unknown as Session,
    permissionRequest: () => permissionRequest!,
    permissionCheck: () => permissionCheck!,
    headers: () => headers!,
    before: () => before!,
  };
}

describe("hardenSession", () => {
  it("denies every permission request and check", () => {
    const fake = fakeSession();
    hardenSession(fake.session);
    for (const permission of ["media", "geolocation", "notifications", "clipboard-read", "openExternal"]) {
      const callback = vi.fn();
      fake.permissionRequest()({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(fake.permissionCheck()({}, "media")).toBe(false);
  });

  it("puts the CSP on every response", () => {
    const fake = fakeSession();
    hardenSession(fake.session);
    const callback = vi.fn();
    fake.headers()({ responseHeaders: { "Content-Type": ["text/html"] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { "Content-Type": ["text/html"], "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
  });

  it("cancels every request to the network", () => {
    const fake = fakeSession();
    hardenSession(fake.session);
    expect(fake.before().filter.urls).toEqual(expect.arrayContaining(["http://*/*", "https://*/*", "ws://*/*", "wss://*/*"]));
    const callback = vi.fn();
    fake.before().listener({ url: "https://example.com/" }, callback);
    expect(callback).toHaveBeenCalledWith({ cancel: true });
  });
});

describe("the app:// protocol", () => {
  let root: string;
  let rendererDir: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "taleweave-protocol-"));
    rendererDir = path.join(root, "dist");
    mkdirSync(path.join(rendererDir, "assets"), { recursive: true });
    writeFileSync(path.join(rendererDir, "index.html"), "<!doctype html><title>Taleweave</title>");
    writeFileSync(path.join(rendererDir, "assets", "index-abc.js"), "console.log(1)");
    writeFileSync(path.join(root, "secret.txt"), "not for the page");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is registered as a standard, secure scheme", () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: "app", privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it("serves files with the CSP and their type, and 404s everything else", async () => {
    const page = await serveRendererFile(rendererDir, "app://taleweave/index.html");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await page.text()).toContain("<title>Taleweave</title>");

    const script = await serveRendererFile(rendererDir, "app://taleweave/assets/index-abc.js");
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);

    for (const url of [
      "app://taleweave/missing.js",
      "app://taleweave/assets",
      "app://taleweave/../secret.txt",
      "app://taleweave/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "app://taleweave/..%2fsecret.txt",
      "app://taleweave/..%5csecret.txt",
      "app://taleweave/%00index.html",
      "app://taleweave/%E0%A4%A",
      "app://other/index.html",
      "https://taleweave/index.html",
    ]) {
      const missing = await serveRendererFile(rendererDir, url);
      expect(missing.status, url).toBe(404);
      expect(missing.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    }
  });
});

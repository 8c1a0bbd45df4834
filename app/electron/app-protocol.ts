import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Protocol } from "electron";
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from "./security.js";

/**
 * The renderer is served from a custom app:// scheme rather than file://: it gets a real origin
 * (so 'self' in the CSP means exactly our files and Vite's absolute /assets paths resolve), the
 * CSP travels as a response header, and no other file on disk is reachable from the page.
 */

/** Must run before the app is ready: the scheme's privileges are fixed at startup. */
export function registerAppScheme(protocol: Pick<Protocol, "registerSchemesAsPrivileged">): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/**
 * The file inside `rendererDir` that `url` names, or undefined when the URL is not ours or
 * escapes the folder (`..`, encoded separators, absolute paths).
 */
export function rendererFileFor(rendererDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes("\0") || pathname.includes("\\")) return undefined;
  const relative = pathname === "/" ? "index.html" : pathname.replace(/^\/+/, "");
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  const inside = path.relative(root, file);
  if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) return undefined;
  return file;
}

const SECURITY_HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
} as const;

/** Answers one app:// request from `rendererDir`; everything else is a 404. */
export async function serveRendererFile(rendererDir: string, url: string): Promise<Response> {
  const file = rendererFileFor(rendererDir, url);
  const notFound = () => new Response("Not found", { status: 404, headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  if (file === undefined) return notFound();
  try {
    if (!(await stat(file)).isFile()) return notFound();
    const body = await readFile(file);
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, "Content-Type": type } });
  } catch {
    return notFound();
  }
}

export function serveRenderer(protocol: Pick<Protocol, "handle">, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(rendererDir, request.url));
}

import { readFile } from "node:fs/promises";
import type { Protocol } from "electron";
import { findStatic } from "../web/index.js";
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

const SECURITY_HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
} as const;

/**
 * Answers one app:// request from `rendererDir`, with the web host's file lookup (the same
 * checks: decoded segments, no dotfiles, real path inside the folder); everything else is a 404.
 */
export async function serveRendererFile(rendererDir: string, url: string): Promise<Response> {
  const notFound = () => new Response("Not found", { status: 404, headers: { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return notFound();
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return notFound();
  try {
    const found = await findStatic(rendererDir, parsed.pathname);
    if (found.kind !== "file") return notFound();
    return new Response(await readFile(found.file), { status: 200, headers: { ...SECURITY_HEADERS, "Content-Type": found.type } });
  } catch {
    return notFound();
  }
}

export function serveRenderer(protocol: Pick<Protocol, "handle">, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(rendererDir, request.url));
}

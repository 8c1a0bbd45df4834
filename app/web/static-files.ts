import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";

/**
 * The built renderer, served as files. Only files inside the renderer folder are ever read: a
 * path is decoded once, every segment checked (no "..", no dotfiles, no separators smuggled in
 * encoded), and the real path (after symlinks) must still be inside the folder.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
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
  ".wasm": "application/wasm",
};

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Taleweave</title></head>
<body>
<h1>Taleweave</h1>
<p>The game's interface has not been built yet. Run <code>npm run build</code>, then start the web host again.</p>
</body>
</html>
`;

export type StaticAnswer =
  | { readonly kind: "file"; readonly file: string; readonly size: number; readonly type: string }
  | { readonly kind: "not-built" }
  | { readonly kind: "not-found" }
  | { readonly kind: "bad-path" };

/** Which file answers `pathname` (still URL-encoded), without reading it. */
export async function findStatic(root: string, pathname: string): Promise<StaticAnswer> {
  let realRoot: string;
  try {
    realRoot = await realpath(resolve(root));
    if (!(await stat(join(realRoot, "index.html"))).isFile()) return { kind: "not-built" };
  } catch {
    return { kind: "not-built" };
  }
  const segments = decodeSegments(pathname);
  if (segments === undefined) return { kind: "bad-path" };
  const wanted = segments.length === 0 ? ["index.html"] : segments;
  let file: string;
  try {
    file = await realpath(join(realRoot, ...wanted));
  } catch {
    return { kind: "not-found" };
  }
  if (!file.startsWith(realRoot + sep)) return { kind: "not-found" };
  const info = await stat(file);
  // Folders are not listed, and only the root has a page.
  if (!info.isFile()) return { kind: "not-found" };
  return { kind: "file", file, size: info.size, type: CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream" };
}

/** Sends a found file; for HEAD, the headers alone. */
export function sendFile(res: ServerResponse, answer: Extract<StaticAnswer, { kind: "file" }>, head: boolean): void {
  res.writeHead(200, {
    "Content-Type": answer.type,
    "Content-Length": answer.size,
    // The page is small and names its hashed assets; always fetching it picks up a new build.
    "Cache-Control": answer.type.startsWith("text/html") ? "no-store" : "no-cache",
  });
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(answer.file);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** The path's segments, decoded; undefined when any is unsafe or undecodable. */
function decodeSegments(pathname: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith(".") || /[\\/\0:]/.test(segment)) return undefined;
    out.push(segment);
  }
  return out;
}

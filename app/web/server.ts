import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { GameService, requestId, type GameServiceOptions } from "../../engine/api/service.js";
import type { HostEvent } from "../../engine/api/index.js";
import { dataDir, defaultModelsDir } from "../../engine/llm/index.js";
import { defaultSavesDir } from "../../engine/store/index.js";
import { findStatic, NOT_BUILT_PAGE, sendFile } from "./static-files.js";
import type { HostMessage } from "./messages.js";

/**
 * The web host: the built renderer over HTTP and the game's API over a WebSocket, on 127.0.0.1
 * only. Every HTTP request and every WebSocket upgrade must carry the per-launch token (in the
 * query the first time, then in the cookie that answer sets), so another program or a web page
 * in the same browser cannot drive the game. Every message from a client goes through
 * GameService.handle, which validates it.
 */

export interface WebHostOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly savesDir?: string;
  readonly dataDir?: string;
  readonly modelsDir?: string;
  /** The built renderer (default: renderer/dist in the repository). */
  readonly rendererDir?: string;
  readonly offline?: boolean;
  /** Default: 32 random bytes, new at every launch. */
  readonly token?: string;
  /** Where API keys are read from (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The model catalog (default: models/catalog.json beside the code); tests point it at a local server. */
  readonly catalogFile?: string;
}

export interface WebHost {
  /** The address to open, token included. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

export const HOST = "127.0.0.1";
export const TOKEN_COOKIE = "tw_token";
export const TOKEN_HEADER = "x-taleweave-token";
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;
/** Larger messages close the connection; no request comes near it. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws://127.0.0.1:*",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export function defaultRendererDir(): string {
  return fileURLToPath(new URL("../../renderer/dist", import.meta.url));
}

export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString("base64url");
  // The token goes into a URL and a cookie as it is, so it must need no escaping in either.
  if (!TOKEN_PATTERN.test(token)) throw new Error("The web host's token must be 16 to 256 letters, digits, '-' or '_'.");
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const serviceOptions: GameServiceOptions = {
    savesDir: options.savesDir ?? defaultSavesDir(),
    dataDir: options.dataDir ?? dataDir(),
    modelsDir: options.modelsDir ?? defaultModelsDir(),
    ...(options.offline === undefined ? {} : { offline: options.offline }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.catalogFile === undefined ? {} : { catalogFile: options.catalogFile }),
  };
  const service = await GameService.open(serviceOptions);

  let port = 0;
  const gate = new Gate(token, () => port);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server = createServer((req, res) => {
    serveHttp(req, res, gate, rendererDir).catch(() => {
      if (!res.headersSent) plain(res, 500, "The page could not be served.");
      else res.destroy();
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    if (!gate.allowsUpgrade(req)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  wss.on("connection", (ws: WebSocket) => {
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => {
      void answer(service, ws, data, isBinary);
    });
  });
  const stopEvents = service.onEvent((event: HostEvent) => {
    const text = JSON.stringify({ kind: "event", event } satisfies HostMessage);
    for (const client of wss.clients) send(client, text);
  });

  try {
    port = await listen(server, options.port ?? 0);
  } catch (error) {
    stopEvents();
    await service.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    token,
    port,
    close: () => {
      closing ??= (async () => {
        stopEvents();
        const serverClosed = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await Promise.all([...wss.clients].map(closeClient));
        wss.close();
        await serverClosed;
        await service.close();
      })();
      return closing;
    },
  };
}

/** Who may in: requests to this host's own address, with the token. */
class Gate {
  readonly #token: Buffer;

  constructor(readonly token: string, readonly port: () => number) {
    this.#token = Buffer.from(token);
  }

  /** True when the request names this host and carries the token; `viaQuery` tells whether it came in the URL. */
  check(req: IncomingMessage, url: URL): { ok: boolean; viaQuery: boolean } {
    if (!this.#ownHost(req.headers.host)) return { ok: false, viaQuery: false };
    const query = url.searchParams.get("token");
    if (query !== null && this.#matches(query)) return { ok: true, viaQuery: true };
    const header = req.headers[TOKEN_HEADER];
    if (typeof header === "string" && this.#matches(header)) return { ok: true, viaQuery: false };
    const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
    return { ok: cookie !== undefined && this.#matches(cookie), viaQuery: false };
  }

  /** Upgrades also refuse a page from another origin, even one that somehow has the token. */
  allowsUpgrade(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.#ownOrigin(origin)) return false;
    return this.check(req, requestUrl(req)).ok;
  }

  #matches(candidate: string): boolean {
    const given = Buffer.from(candidate);
    return given.length === this.#token.length && timingSafeEqual(given, this.#token);
  }

  // The Host header is checked so that a DNS-rebound name pointing at 127.0.0.1 is not this host.
  #ownHost(host: string | undefined): boolean {
    const port = this.port();
    return host === `${HOST}:${port}` || host === `localhost:${port}`;
  }

  #ownOrigin(origin: string): boolean {
    const port = this.port();
    return origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
  }
}

async function serveHttp(req: IncomingMessage, res: ServerResponse, gate: Gate, rendererDir: string): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const url = requestUrl(req);
  const access = gate.check(req, url);
  if (!access.ok) {
    plain(res, 403, "Forbidden: open the address the game printed when it started; it holds the key to this page.");
    return;
  }
  // The page's own requests (scripts, styles, the WebSocket) then carry the token without it in their URLs.
  if (access.viaQuery) res.setHeader("Set-Cookie", `${TOKEN_COOKIE}=${gate.token}; HttpOnly; SameSite=Strict; Path=/`);
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    plain(res, 405, "Only GET and HEAD are served here; the game's API is on the WebSocket.");
    return;
  }
  const found = await findStatic(rendererDir, url.pathname);
  switch (found.kind) {
    case "file":
      sendFile(res, found, req.method === "HEAD");
      return;
    case "not-built":
      if (url.pathname === "/" || url.pathname === "/index.html") {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : NOT_BUILT_PAGE);
      } else plain(res, 404, "Not found.");
      return;
    case "bad-path":
      plain(res, 400, "Bad path.");
      return;
    case "not-found":
      plain(res, 404, "Not found.");
      return;
  }
}

/** Parses one client message and sends back the answer; a message without an id gets an error event. */
async function answer(service: GameService, ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
  const refuse = (message: string): void => {
    send(ws, JSON.stringify({ kind: "event", event: { type: "error", error: { kind: "invalid-request", message } } } satisfies HostMessage));
  };
  if (isBinary) {
    refuse("Messages to the game are JSON text; a binary message was ignored.");
    return;
  }
  let request: unknown;
  try {
    request = JSON.parse(rawText(data));
  } catch {
    refuse("A message was not valid JSON and was ignored.");
    return;
  }
  if (requestId(request) < 0) {
    refuse("A message without a whole-number id was ignored: every request needs one to be answered.");
    return;
  }
  const response = await service.handle(request);
  send(ws, JSON.stringify({ kind: "response", ...response } satisfies HostMessage));
}

function send(ws: WebSocket, text: string): void {
  if (ws.readyState === ws.OPEN) ws.send(text);
}

function closeClient(ws: WebSocket): Promise<void> {
  return new Promise((done) => {
    if (ws.readyState === ws.CLOSED) {
      done();
      return;
    }
    ws.once("close", () => done());
    ws.close(1001, "The game is shutting down.");
    // A client that does not answer the close handshake is not waited for.
    setTimeout(() => ws.terminate(), 1000).unref();
  });
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("The web host has no TCP address."));
      else resolve(address.port);
    });
  });
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(text);
}

function requestUrl(req: IncomingMessage): URL {
  // The base only anchors the path; which host was asked for is checked separately.
  return new URL(req.url ?? "/", `http://${HOST}`);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at !== -1 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString("utf8");
}

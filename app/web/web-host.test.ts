import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CONTENT_SECURITY_POLICY, MAX_MESSAGE_BYTES, startWebHost, type WebHost } from "./server.js";
import { rawGet, TestClient } from "./test-client.js";

/**
 * The web host for real: a server on 127.0.0.1, a `ws` client, temporary folders for saves, data
 * and models, and a small built renderer with a file outside it that must never be served.
 * Offline here (the engine narrates); the model flow is in web-host.local-model.test.ts.
 */

let dir: string;
let host: WebHost;
const OPENROUTER_KEY = "sk-or-v1-0123456789abcdefghijklmnopqrstuvwxyz";
const clients: TestClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "taleweave-web-"));
  const dist = join(dir, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>Taleweave</title><script type=module src=/assets/app.js></script>");
  writeFileSync(join(dist, "assets", "app.js"), "console.log('taleweave');");
  writeFileSync(join(dist, "assets", "app.css"), "body{}");
  writeFileSync(join(dist, "assets", "logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  writeFileSync(join(dist, ".env"), "SECRET=dotfile");
  writeFileSync(join(dir, "secret.txt"), "SECRET outside the renderer");
  symlinkSync(join(dir, "secret.txt"), join(dist, "assets", "link.txt"));
  host = await startWebHost({
    savesDir: join(dir, "saves"),
    dataDir: join(dir, "data"),
    modelsDir: join(dir, "models"),
    rendererDir: dist,
    offline: true,
    env: { OPENROUTER_API_KEY: OPENROUTER_KEY },
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const wsUrl = (): string => `ws://127.0.0.1:${host.port}/?token=${host.token}`;

async function connect(url = wsUrl(), options: WebSocket.ClientOptions = {}): Promise<TestClient> {
  const client = await TestClient.connect(url, options);
  clients.push(client);
  return client;
}

describe("the token", () => {
  it("is in the printed address, random per launch, and long", () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("is required on every HTTP request: without it or with a wrong one, 403 and no content", async () => {
    for (const path of ["/", "/index.html", "/assets/app.js", `/?token=${host.token}x`, "/?token="]) {
      const answer = await rawGet(host.port, path);
      expect(answer.status, path).toBe(403);
      expect(answer.body).not.toContain("taleweave'");
      expect(answer.body).not.toContain("<script");
      expect(answer.headers["set-cookie"]).toBeUndefined();
    }
    const wrongCookie = await rawGet(host.port, "/assets/app.js", { cookie: "tw_token=nope" });
    expect(wrongCookie.status).toBe(403);
  });

  it("is accepted in the query (setting a strict HttpOnly cookie), then in the cookie or a header", async () => {
    const first = await rawGet(host.port, `/?token=${host.token}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain("<title>Taleweave</title>");
    expect(first.headers["set-cookie"]).toEqual([`tw_token=${host.token}; HttpOnly; SameSite=Strict; Path=/`]);
    const byCookie = await rawGet(host.port, "/assets/app.js", { cookie: `other=1; tw_token=${host.token}` });
    expect(byCookie.status).toBe(200);
    const byHeader = await rawGet(host.port, "/assets/app.js", { "x-taleweave-token": host.token });
    expect(byHeader.status).toBe(200);
  });

  it("does not admit a request for another host name, even with the token", async () => {
    const rebound = await rawGet(host.port, `/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(403);
  });

  it("is required on the WebSocket upgrade", async () => {
    await expect(TestClient.connect(`ws://127.0.0.1:${host.port}/`)).rejects.toThrow("upgrade refused: 403");
    await expect(TestClient.connect(`ws://127.0.0.1:${host.port}/?token=wrong`)).rejects.toThrow("upgrade refused: 403");
    await expect(TestClient.connect(wsUrl(), { origin: "http://evil.example" })).rejects.toThrow("upgrade refused: 403");
    const byCookie = await connect(`ws://127.0.0.1:${host.port}/`, { headers: { cookie: `tw_token=${host.token}` }, origin: `http://127.0.0.1:${host.port}` });
    expect(await byCookie.call("saves.list", {})).toBeInstanceOf(Array);
  });
});

describe("static files", () => {
  const auth = (): Record<string, string> => ({ cookie: `tw_token=${host.token}` });

  it("serves the renderer with the right content types and security headers, and no CORS", async () => {
    const cases: [string, string][] = [
      ["/", "text/html; charset=utf-8"],
      ["/assets/app.js", "text/javascript; charset=utf-8"],
      ["/assets/app.css", "text/css; charset=utf-8"],
      ["/assets/logo.svg", "image/svg+xml"],
    ];
    for (const [path, type] of cases) {
      const answer = await rawGet(host.port, path, { ...auth(), origin: "http://evil.example" });
      expect(answer.status, path).toBe(200);
      expect(answer.headers["content-type"]).toBe(type);
      expect(answer.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(Object.keys(answer.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    }
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'self'; connect-src 'self' ws://127.0.0.1:*; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    const head = await rawGet(host.port, "/assets/app.js", auth(), "HEAD");
    expect(head).toMatchObject({ status: 200, body: "" });
    expect(head.headers["content-length"]).toBe(String("console.log('taleweave');".length));
  });

  it("puts the security headers on refusals too", async () => {
    const refused = await rawGet(host.port, "/");
    expect(refused.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("never serves a file outside the renderer folder, a dotfile or a folder", async () => {
    const attempts = [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/assets/..%5c..%5csecret.txt",
      "/%2fetc%2fpasswd",
      "//etc/passwd",
      "/assets/link.txt",
      "/.env",
      "/assets/",
      "/assets",
      "/%E0%A4%A",
      "/index.html%00.js",
    ];
    for (const path of attempts) {
      const answer = await rawGet(host.port, path, auth());
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain("SECRET");
      expect(answer.body, path).not.toContain("root:");
    }
    expect((await rawGet(host.port, "/missing.js", auth())).status).toBe(404);
  });

  it("answers only GET and HEAD", async () => {
    const answer = await rawGet(host.port, "/", auth(), "POST");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD");
  });

  it("says to build the renderer when it is not built", async () => {
    const bare = await startWebHost({
      savesDir: join(dir, "saves"), dataDir: join(dir, "data2"), modelsDir: join(dir, "models"),
      rendererDir: join(dir, "no-such-dist"), offline: true,
    });
    try {
      const page = await rawGet(bare.port, `/?token=${bare.token}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain("npm run build");
      expect((await rawGet(bare.port, `/assets/app.js?token=${bare.token}`)).status).toBe(404);
      expect(bare.token).not.toBe(host.token);
    } finally {
      await bare.close();
    }
  });
});

describe("the API over the WebSocket", () => {
  it("plays a game: new, a turn with streamed events, saves, settings, models and usage", async () => {
    const client = await connect();
    const watcher = await connect();

    const started = await client.call("game.new", { save: "web", seed: 7 });
    expect(started.view).toMatchObject({ save: "web", turn: 0, offline: true });
    expect(started.log[0]?.turn).toBe(0);

    const looked = await client.call("game.submit", { input: "look" });
    if (looked.type !== "turn") throw new Error("look should play a turn");
    expect(looked.entry).toMatchObject({ turn: 1, input: "look" });

    // Events stream before the answer, in order, and reach every client.
    const kinds = client.messages.map((m) => (m.kind === "event" ? m.event.type : `response:${m.id}`));
    const answeredAt = kinds.indexOf("response:2");
    expect(kinds.indexOf("turn-started")).toBeLessThan(kinds.indexOf("narration-delta"));
    expect(kinds.indexOf("narration-delta")).toBeLessThan(answeredAt);
    expect(kinds.lastIndexOf("turn-completed")).toBeLessThan(answeredAt);
    await watcher.waitFor((m) => m.kind === "event" && m.event.type === "turn-completed");
    expect(watcher.messages.every((m) => m.kind === "event")).toBe(true);

    const meta = await client.call("game.submit", { input: "save" });
    expect(meta).toMatchObject({ type: "meta", ok: true });

    expect((await client.call("saves.list", {})).map((s) => [s.name, s.turn])).toEqual([["web", 1]]);
    const copy = await client.call("saves.saveAs", { name: "web copy" });
    expect(copy.view).toMatchObject({ save: "web copy", turn: 1 });
    expect(await client.call("saves.turns", { save: "web copy" })).toEqual([{ turn: 1, input: "look" }]);

    const opened = await client.call("game.open", { save: "web" });
    expect(opened.view.save).toBe("web");
    expect(opened.log.map((e) => e.turn)).toEqual([0, 1]);
    expect(opened.log[1]?.parts.map((p) => p.text).join("\n\n")).toBe(looked.entry.parts.map((p) => p.text).join("\n\n"));

    const settingsAnswer = await client.request("settings.get", {});
    expect(JSON.stringify(settingsAnswer)).not.toContain(OPENROUTER_KEY);
    expect(JSON.stringify(settingsAnswer)).not.toContain("0123456789abcdef");
    const settings = await client.call("settings.get", {});
    expect(settings.keys.OPENROUTER_API_KEY).toBe("set");
    expect(settings.keys.GEMINI_API_KEY).toBe("not set");

    const invalid = await client.request("settings.update", { settings: { version: 1, budgets: { dailyUsd: -1 } } });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.error.kind).toBe("invalid-settings");
      expect(invalid.error.message).toContain("budgets.dailyUsd");
    }
    const setKey = await client.request("settings.setKey", { env: "OPENROUTER_API_KEY", key: "sk-or-v1-zzzzzzzzzzzzzzzzzzzzzz" });
    expect(setKey).toMatchObject({ ok: false, error: { kind: "unsupported" } });

    expect(await client.call("models.list", {})).toEqual({ dir: join(dir, "models"), files: [] });
    const usage = await client.call("usage.get", {});
    expect(usage).toMatchObject({ rows: [], totalCostUsd: 0, turnsNeedingModel: 0 });
  });

  it("answers malformed messages with errors and carries on", async () => {
    const client = await connect();
    client.ws.send("{not json");
    client.ws.send(JSON.stringify({ method: "saves.list", params: {} }));
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.waitFor((m) => m.kind === "event" && m.event.type === "error" && m.event.error.message.includes("binary"));
    const errors = client.events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => e.type === "error" && e.error.kind)).toEqual(["invalid-request", "invalid-request", "invalid-request"]);

    expect(await client.send({ id: 10, method: "no.such.method", params: {} }, 10)).toMatchObject({ id: 10, ok: false, error: { kind: "invalid-request" } });
    expect(await client.send({ id: 11, method: "game.new", params: { save: 42 } }, 11)).toMatchObject({ id: 11, ok: false, error: { kind: "invalid-request" } });
    expect(await client.send({ id: 12, method: "game.submit", params: null }, 12)).toMatchObject({ id: 12, ok: false, error: { kind: "invalid-request" } });
    expect(await client.send({ id: 13, method: "saves.list", params: {}, extra: "ignored" }, 13)).toMatchObject({ id: 13, ok: true });
  });

  it("refuses a message over 1 MB by closing that connection, and keeps serving others", async () => {
    const big = await connect();
    const closed = new Promise<number>((resolve) => big.ws.once("close", (code) => resolve(code)));
    big.ws.send(JSON.stringify({ id: 1, method: "game.submit", params: { input: "x".repeat(MAX_MESSAGE_BYTES) } }));
    expect(await closed).toBe(1009);
    const other = await connect();
    expect(await other.call("saves.list", {})).toBeInstanceOf(Array);
  });

  it("closes cleanly with clients connected", async () => {
    const extra = await startWebHost({
      savesDir: join(dir, "saves-close"), dataDir: join(dir, "data-close"), modelsDir: join(dir, "models"),
      rendererDir: join(dir, "dist"), offline: true,
    });
    const client = await TestClient.connect(`ws://127.0.0.1:${extra.port}/?token=${extra.token}`);
    const closed = new Promise<number>((resolve) => client.ws.once("close", (code) => resolve(code)));
    await extra.close();
    expect(await closed).toBe(1001);
    await expect(rawGet(extra.port, `/?token=${extra.token}`)).rejects.toThrow();
  });
});

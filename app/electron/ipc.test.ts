import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { describe, expect, it, vi } from "vitest";
import type { HostEvent, Response } from "../../engine/api/protocol.js";
import { CALL_CHANNEL, EVENT_CHANNEL } from "./channels.js";
import { answerCall, checkRequest, forwardEvents, isTrustedSender, MAX_REQUEST_BYTES, NO_ID, registerCallHandler, type EngineHost } from "./ipc.js";

interface FakeFrame {
  processId: number;
  routingId: number;
  url: string;
}

function fakeContents(options: { destroyed?: boolean } = {}) {
  const mainFrame: FakeFrame = { processId: 4, routingId: 1, url: "app://taleweave/index.html" };
  const send = vi.fn();
  const contents = { isDestroyed: () => options.destroyed ?? false, mainFrame, send };
  return { contents: contents as unknown as WebContents, mainFrame, send };
}

function eventFrom(sender: WebContents, frame: FakeFrame | null): Pick<IpcMainInvokeEvent, "sender" | "senderFrame"> {
  return { sender, senderFrame: frame } as unknown as Pick<IpcMainInvokeEvent, "sender" | "senderFrame">;
}

function fakeEngine() {
  const listeners = new Set<(event: HostEvent) => void>();
  const handle = vi.fn(async (request: unknown): Promise<Response> => ({ id: (request as { id: number }).id, ok: true, result: { echoed: request } }));
  const engine: EngineHost = {
    handle,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (event: unknown) => {
    for (const listener of listeners) listener(event as HostEvent);
  };
  return { engine, handle, emit, listeners };
}

const valid = { id: 3, method: "saves.list", params: {} };

describe("checkRequest", () => {
  it.each([
    ["a string", "game.new"],
    ["null", null],
    ["a number", 42],
    ["an array", [1, 2]],
    ["no method", { id: 1, params: {} }],
    ["an unknown method", { id: 1, method: "fs.readFile", params: { path: "/etc/passwd" } }],
    ["a prototype key as method", { id: 1, method: "constructor", params: {} }],
    ["a negative id", { id: -5, method: "saves.list", params: {} }],
    ["a fractional id", { id: 1.5, method: "saves.list", params: {} }],
  ])("refuses %s", (_label, raw) => {
    const checked = checkRequest(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.response.ok).toBe(false);
      expect(checked.response).toMatchObject({ ok: false, error: { kind: "invalid-request" } });
    }
  });

  it("refuses params that do not match the method's schema, keeping the request's id", () => {
    const checked = checkRequest({ id: 9, method: "game.new", params: { save: "" } });
    expect(checked).toMatchObject({ ok: false, response: { id: 9, ok: false, error: { kind: "invalid-request" } } });
    if (!checked.ok && !checked.response.ok) expect(checked.response.error.message).toContain("game.new");
    expect(checkRequest({ id: 9, method: "game.submit", params: { input: "x".repeat(2001) } }).ok).toBe(false);
    expect(checkRequest({ id: 9, method: "saves.rewind", params: { save: "a", turn: "3", newName: "b" } }).ok).toBe(false);
  });

  it("refuses an oversized request before parsing it", () => {
    const checked = checkRequest({ id: 2, method: "settings.update", params: { settings: { blob: "x".repeat(MAX_REQUEST_BYTES) } } });
    expect(checked).toMatchObject({ ok: false, response: { id: 2, ok: false } });
    if (!checked.ok && !checked.response.ok) expect(checked.response.error.message).toMatch(/limit/);
  });

  it("refuses values that are not JSON (structured clone carries cycles and BigInts)", () => {
    const cyclic: Record<string, unknown> = { id: 1, method: "saves.list" };
    cyclic.params = cyclic;
    expect(checkRequest(cyclic)).toMatchObject({ ok: false, response: { id: 1 } });
    expect(checkRequest({ id: 1, method: "saves.list", params: { n: 10n } }).ok).toBe(false);
  });

  it("uses NO_ID when the request has no usable id", () => {
    expect(checkRequest("nonsense")).toMatchObject({ ok: false, response: { id: NO_ID } });
  });

  it("accepts a valid request and returns its parsed params", () => {
    expect(checkRequest(valid)).toEqual({ ok: true, request: valid });
    // Unknown keys are stripped by the params schema, so they never reach the engine.
    expect(checkRequest({ id: 1, method: "game.new", params: { save: "hero", seed: 4, extra: "x" } })).toEqual({
      ok: true,
      request: { id: 1, method: "game.new", params: { save: "hero", seed: 4 } },
    });
  });
});

describe("isTrustedSender", () => {
  it("trusts only our window's main frame showing our page", () => {
    const { contents, mainFrame } = fakeContents();
    expect(isTrustedSender(eventFrom(contents, { ...mainFrame }), contents)).toBe(true);
  });

  it("refuses another window, a subframe, a foreign page, a missing frame, or a closed window", () => {
    const { contents, mainFrame } = fakeContents();
    const other = fakeContents().contents;
    expect(isTrustedSender(eventFrom(other, { ...mainFrame }), contents)).toBe(false);
    expect(isTrustedSender(eventFrom(contents, { ...mainFrame, routingId: 7 }), contents)).toBe(false);
    expect(isTrustedSender(eventFrom(contents, { ...mainFrame, processId: 99 }), contents)).toBe(false);
    expect(isTrustedSender(eventFrom(contents, { ...mainFrame, url: "https://evil.example/" }), contents)).toBe(false);
    expect(isTrustedSender(eventFrom(contents, { ...mainFrame, url: "file:///etc/passwd" }), contents)).toBe(false);
    expect(isTrustedSender(eventFrom(contents, null), contents)).toBe(false);
    expect(isTrustedSender(eventFrom(contents, { ...mainFrame }), undefined)).toBe(false);
    const closed = fakeContents({ destroyed: true });
    expect(isTrustedSender(eventFrom(closed.contents, { ...closed.mainFrame }), closed.contents)).toBe(false);
  });
});

describe("answerCall", () => {
  it("forwards a valid request from our window to the engine", async () => {
    const { contents, mainFrame } = fakeContents();
    const { engine, handle } = fakeEngine();
    const response = await answerCall(engine, eventFrom(contents, mainFrame), contents, valid);
    expect(handle).toHaveBeenCalledTimes(1);
    expect(handle).toHaveBeenCalledWith(valid);
    expect(response).toEqual({ id: 3, ok: true, result: { echoed: valid } });
  });

  it.each([
    ["not an object", "saves.list"],
    ["an unknown method", { id: 1, method: "shell.openExternal", params: {} }],
    ["bad params", { id: 1, method: "saves.delete", params: { name: 5 } }],
    ["oversized", { id: 1, method: "game.submit", params: { input: "a".repeat(MAX_REQUEST_BYTES + 1) } }],
  ])("answers %s with an error Response and never calls the engine", async (_label, raw) => {
    const { contents, mainFrame } = fakeContents();
    const { engine, handle } = fakeEngine();
    const response = await answerCall(engine, eventFrom(contents, mainFrame), contents, raw);
    expect(response.ok).toBe(false);
    expect(handle).not.toHaveBeenCalled();
  });

  it("refuses a valid request from a frame that is not ours", async () => {
    const { contents, mainFrame } = fakeContents();
    const { engine, handle } = fakeEngine();
    const response = await answerCall(engine, eventFrom(contents, { ...mainFrame, routingId: 2 }), contents, valid);
    expect(response).toMatchObject({ id: 3, ok: false, error: { kind: "forbidden" } });
    expect(handle).not.toHaveBeenCalled();
  });

  it("turns an engine that throws into an error Response", async () => {
    const { contents, mainFrame } = fakeContents();
    const engine: EngineHost = { handle: () => Promise.reject(new Error("boom")), onEvent: () => () => undefined };
    await expect(answerCall(engine, eventFrom(contents, mainFrame), contents, valid)).resolves.toEqual({ id: 3, ok: false, error: { kind: "internal", message: "boom" } });
  });
});

describe("registerCallHandler", () => {
  it("handles the one call channel and reads the window at each call", async () => {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
    const ipcMain = {
      handle: vi.fn((channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => handlers.set(channel, handler)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    } as unknown as Pick<IpcMain, "handle" | "removeHandler">;
    const { contents, mainFrame } = fakeContents();
    const { engine, handle } = fakeEngine();
    let window: WebContents | undefined = contents;
    const stop = registerCallHandler(ipcMain, engine, () => window);
    expect([...handlers.keys()]).toEqual([CALL_CHANNEL]);
    const handler = handlers.get(CALL_CHANNEL)!;
    const event = eventFrom(contents, mainFrame) as IpcMainInvokeEvent;
    await expect(handler(event, valid)).resolves.toMatchObject({ ok: true });
    window = undefined;
    await expect(handler(event, valid)).resolves.toMatchObject({ ok: false, error: { kind: "forbidden" } });
    expect(handle).toHaveBeenCalledTimes(1);
    stop();
    expect(handlers.size).toBe(0);
  });
});

describe("forwardEvents", () => {
  it("sends protocol events to the window and drops anything else", () => {
    const { contents, send } = fakeContents();
    const { engine, emit, listeners } = fakeEngine();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const stop = forwardEvents(engine, () => contents);
    emit({ type: "narration-delta", turn: 1, text: "The bell " });
    emit({ type: "narration-delta", turn: "one", text: 5 });
    emit({ type: "exec", command: "rm -rf /" });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(EVENT_CHANNEL, { type: "narration-delta", turn: 1, text: "The bell " });
    expect(warn).toHaveBeenCalledTimes(2);
    stop();
    expect(listeners.size).toBe(0);
    warn.mockRestore();
  });

  it("sends nothing when there is no window or it is closed", () => {
    const closed = fakeContents({ destroyed: true });
    const { engine, emit } = fakeEngine();
    forwardEvents(engine, () => undefined);
    forwardEvents(engine, () => closed.contents);
    emit({ type: "models-changed" });
    expect(closed.send).not.toHaveBeenCalled();
  });
});

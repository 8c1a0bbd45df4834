import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ApiError, GameClient, HostEvent } from "../../engine/api/protocol.js";
import { CALL_CHANNEL, EVENT_CHANNEL } from "./channels.js";

type IpcListener = (event: unknown, ...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const ipcListeners = new Map<string, IpcListener[]>();
  return {
    exposed,
    ipcListeners,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
      on: (channel: string, listener: IpcListener) => ipcListeners.set(channel, [...(ipcListeners.get(channel) ?? []), listener]),
    },
  };
});
vi.mock("electron", () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

/** Loads the preload afresh, as each page load does. */
async function loadPreload(): Promise<GameClient> {
  electron.exposed.clear();
  electron.ipcListeners.clear();
  vi.resetModules();
  await import("./preload.js");
  return electron.exposed.get("taleweave") as GameClient;
}

function sendEvent(payload: unknown): void {
  const fakeIpcEvent = { sender: "the ipcRenderer", senderId: 0 };
  for (const listener of electron.ipcListeners.get(EVENT_CHANNEL) ?? []) listener(fakeIpcEvent, payload);
}

beforeEach(() => {
  electron.ipcRenderer.invoke.mockReset();
});

describe("preload", () => {
  it("exposes window.taleweave with call and onEvent, and nothing else", async () => {
    await loadPreload();
    expect([...electron.exposed.keys()]).toEqual(["taleweave"]);
    const api = electron.exposed.get("taleweave") as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(["call", "onEvent"]);
    expect(typeof api.call).toBe("function");
    expect(typeof api.onEvent).toBe("function");
  });

  it("sends a call on the call channel with a fresh id and resolves with the result", async () => {
    const client = await loadPreload();
    electron.ipcRenderer.invoke.mockImplementation(async (_channel, request) => ({ id: (request as { id: number }).id, ok: true, result: [] }));
    await expect(client.call("saves.list", {})).resolves.toEqual([]);
    await client.call("saves.list", {});
    const calls = electron.ipcRenderer.invoke.mock.calls;
    expect(calls[0]).toEqual([CALL_CHANNEL, { id: 0, method: "saves.list", params: {} }]);
    expect(calls[1]).toEqual([CALL_CHANNEL, { id: 1, method: "saves.list", params: {} }]);
  });

  it("rejects a method the protocol does not have without sending anything", async () => {
    const client = await loadPreload();
    const call = client.call as (method: string, params: unknown) => Promise<unknown>;
    for (const method of ["shell.openExternal", "__proto__", "toString"]) {
      await expect(call(method, {})).rejects.toMatchObject({ name: "ApiCallError", error: { kind: "invalid-request" } });
    }
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it("rejects with the host's error when the call fails", async () => {
    const client = await loadPreload();
    electron.ipcRenderer.invoke.mockResolvedValue({ id: 0, ok: false, error: { kind: "busy", message: "A turn is in progress." } });
    const error: ApiError = { kind: "busy", message: "A turn is in progress." };
    // An ApiCallError (by name: resetModules gives the preload its own copy of the class).
    await expect(client.call("game.cancel", {})).rejects.toMatchObject({ name: "ApiCallError", message: error.message, error });
  });

  it("hands valid host events to listeners without the IPC event, and drops invalid ones", async () => {
    const client = await loadPreload();
    const received: unknown[][] = [];
    const stop = client.onEvent((...args: unknown[]) => received.push(args));
    const delta: HostEvent = { type: "narration-delta", turn: 2, text: "Rain" };
    sendEvent(delta);
    sendEvent({ type: "narration-delta", turn: 2 });
    sendEvent({ type: "run", code: "alert(1)" });
    sendEvent("turn-started");
    sendEvent(null);
    expect(received).toEqual([[delta]]);
    stop();
    sendEvent({ type: "models-changed" });
    expect(received).toHaveLength(1);
  });

  it("keeps one IPC subscription however many listeners come and go", async () => {
    const client = await loadPreload();
    const first = vi.fn();
    const second = vi.fn(() => {
      throw new Error("a broken listener");
    });
    const third = vi.fn();
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    client.onEvent(first);
    client.onEvent(second);
    const stopThird = client.onEvent(third);
    stopThird();
    expect(electron.ipcListeners.get(EVENT_CHANNEL)).toHaveLength(1);
    sendEvent({ type: "models-changed" });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(third).not.toHaveBeenCalled();
    error.mockRestore();
  });
});

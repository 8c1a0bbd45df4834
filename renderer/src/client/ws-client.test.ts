import { describe, expect, it } from "vitest";
import { ApiCallError, type HostEvent } from "../../../engine/api/index.js";
import { webSocketUrl } from "./connect.js";
import { WebSocketClient, type SocketLike } from "./ws-client.js";

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }

  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const client = new WebSocketClient("ws://127.0.0.1:1/ws?token=t", url => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  });
  const events: HostEvent[] = [];
  client.onEvent(event => events.push(event));
  return { client, sockets, events };
}

describe("the WebSocket client", () => {
  it("sends requests made while connecting once the socket opens, and resolves validated results", async () => {
    const { client, sockets } = setup();
    const answer = client.call("game.cancel", {});
    const socket = sockets[0];
    if (socket === undefined) throw new Error("no socket");
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([{ id: 1, method: "game.cancel", params: {} }]);
    socket.receive({ kind: "response", id: 1, ok: true, result: { cancelled: true } });
    await expect(answer).resolves.toEqual({ cancelled: true });
  });

  it("rejects with the host's error, and with a protocol error when the result does not fit the schema", async () => {
    const { client, sockets } = setup();
    const refused = client.call("saves.delete", { name: "x" });
    const garbled = client.call("game.cancel", {});
    const socket = sockets[0];
    socket?.open();
    socket?.receive({ kind: "response", id: 1, ok: false, error: { kind: "in-use", message: "It is the game you are playing." } });
    socket?.receive({ kind: "response", id: 2, ok: true, result: { cancelled: "yes" } });
    await expect(refused).rejects.toEqual(new ApiCallError({ kind: "in-use", message: "It is the game you are playing." }));
    await expect(garbled).rejects.toMatchObject({ error: { kind: "protocol" } });
  });

  it("passes on valid events and turns invalid messages into error events", () => {
    const { client, sockets, events } = setup();
    void client.call("game.cancel", {});
    const socket = sockets[0];
    socket?.open();
    socket?.receive({ kind: "event", event: { type: "narration-delta", turn: 1, text: "Hi" } });
    socket?.receive({ kind: "event", event: { type: "narration-delta", turn: "one" } });
    socket?.onmessage?.({ data: "not json" } as MessageEvent);
    expect(events[0]).toEqual({ type: "narration-delta", turn: 1, text: "Hi" });
    expect(events.slice(1).map(e => e.type)).toEqual(["error", "error"]);
  });

  it("rejects pending calls when the connection drops, and reconnects on the next call", async () => {
    const { client, sockets } = setup();
    const lost = client.call("usage.get", {});
    sockets[0]?.open();
    sockets[0]?.close();
    await expect(lost).rejects.toMatchObject({ error: { kind: "disconnected" } });
    void client.call("game.cancel", {});
    expect(sockets).toHaveLength(2);
  });

  it("takes the token from the page's address", () => {
    expect(webSocketUrl({ protocol: "http:", host: "127.0.0.1:5173", search: "?token=abc_-1" })).toBe("ws://127.0.0.1:5173/ws?token=abc_-1");
    expect(webSocketUrl({ protocol: "https:", host: "example", search: "?token=a%2Bb" })).toBe("wss://example/ws?token=a%2Bb");
    expect(webSocketUrl({ protocol: "http:", host: "127.0.0.1:1", search: "" })).toBeUndefined();
  });
});

import { ApiCallError, HostEvent, METHODS, Response, type ApiError, type GameClient, type Method, type Params, type Result } from "../../../engine/api/index.js";

/**
 * A GameClient over the web host's WebSocket. Requests go out as `{id, method, params}`; the host
 * answers `{kind: "response", id, ok, result | error}` and pushes `{kind: "event", event}`.
 * Everything received is parsed with the engine/api schemas: the host is trusted no more than the
 * page is, and a malformed message becomes a visible error rather than a half-applied update.
 */

/** The part of the browser's WebSocket this client uses, so tests can supply their own. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

interface Pending {
  readonly method: Method;
  resolve(result: unknown): void;
  reject(error: ApiCallError): void;
}

export const DISCONNECTED: ApiError = {
  kind: "disconnected",
  message: "Lost the connection to the game. Try again; if it keeps failing, restart Taleweave and reload this page.",
};

export class WebSocketClient implements GameClient {
  readonly #url: string;
  readonly #factory: SocketFactory;
  readonly #listeners = new Set<(event: HostEvent) => void>();
  readonly #pending = new Map<number, Pending>();
  /** Requests made while the socket is still opening. */
  #queue: string[] = [];
  #socket: SocketLike | undefined;
  #nextId = 1;

  constructor(url: string, factory: SocketFactory = u => new WebSocket(u)) {
    this.#url = url;
    this.#factory = factory;
  }

  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.#nextId++;
    const frame = JSON.stringify({ id, method, params });
    return new Promise<Result<M>>((resolve, reject) => {
      this.#pending.set(id, { method, resolve: value => resolve(value as Result<M>), reject });
      const socket = this.#connect();
      if (socket.readyState === OPEN) socket.send(frame);
      else this.#queue.push(frame);
    });
  }

  onEvent(listener: (event: HostEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): void {
    this.#socket?.close();
  }

  /** The open (or opening) socket; a closed one is replaced, so a dropped connection heals on the next call. */
  #connect(): SocketLike {
    if (this.#socket !== undefined) return this.#socket;
    const socket = this.#factory(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      const queued = this.#queue;
      this.#queue = [];
      for (const frame of queued) socket.send(frame);
    };
    socket.onmessage = event => this.#receive(event.data);
    // A socket error is always followed by close, so close alone does the cleaning up.
    socket.onclose = () => this.#dropped(socket);
    return socket;
  }

  #dropped(socket: SocketLike): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#queue = [];
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) request.reject(new ApiCallError(DISCONNECTED));
    if (pending.length === 0) this.#emit({ type: "error", error: DISCONNECTED });
  }

  #receive(data: unknown): void {
    let message: unknown;
    try {
      message = typeof data === "string" ? JSON.parse(data) : undefined;
    } catch {
      message = undefined;
    }
    if (!isObject(message)) return this.#protocolError("a message that is not JSON");
    if (message.kind === "event") {
      const event = HostEvent.safeParse(message.event);
      if (!event.success) return this.#protocolError("an event it could not read");
      return this.#emit(event.data);
    }
    if (message.kind !== "response") return this.#protocolError(`a message of unknown kind`);
    const response = Response.safeParse(message);
    if (!response.success) return this.#protocolError("a response it could not read");
    const request = this.#pending.get(response.data.id);
    if (request === undefined) return;
    this.#pending.delete(response.data.id);
    if (!response.data.ok) return request.reject(new ApiCallError(response.data.error));
    const result = METHODS[request.method].result.safeParse(response.data.result);
    if (!result.success) {
      return request.reject(new ApiCallError({ kind: "protocol", message: `The game sent an unreadable answer to ${request.method}. Reload the page; if it persists, the game and this page are different versions.` }));
    }
    request.resolve(result.data);
  }

  #protocolError(what: string): void {
    this.#emit({ type: "error", error: { kind: "protocol", message: `The game sent ${what}. Reload the page; if it persists, the game and this page are different versions.` } });
  }

  #emit(event: HostEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

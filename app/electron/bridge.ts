import { ApiCallError, HostEvent, METHODS, Response, type GameClient, type Method, type Params, type Result } from "../../engine/api/protocol.js";
import { CALL_CHANNEL, EVENT_CHANNEL } from "./channels.js";

/**
 * The GameClient the preload hands to the page. It is the only thing the page gets: a `call`
 * and an `onEvent`, never ipcRenderer itself (which would let the page send on any channel) and
 * never the IPC event object (which carries the sender).
 */

/** The part of ipcRenderer the bridge uses, so tests can pass a fake. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isMethod(name: unknown): name is Method {
  return typeof name === "string" && Object.hasOwn(METHODS, name);
}

export function createGameClient(ipc: IpcLike): GameClient {
  let nextId = 0;
  const listeners = new Set<(event: HostEvent) => void>();

  // One IPC subscription for all page listeners, so a page that subscribes and unsubscribes
  // repeatedly does not pile up IPC listeners.
  ipc.on(EVENT_CHANNEL, (_event, payload) => {
    const parsed = HostEvent.safeParse(payload);
    if (!parsed.success) return;
    for (const listener of [...listeners]) {
      try {
        listener(parsed.data);
      } catch (error) {
        // One failing page listener must not keep the event from the others.
        console.error(error);
      }
    }
  });

  return {
    async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
      if (!isMethod(method)) throw new ApiCallError({ kind: "invalid-request", message: `Unknown method: ${String(method)}` });
      const id = nextId++;
      const response = Response.parse(await ipc.invoke(CALL_CHANNEL, { id, method, params }));
      if (!response.ok) throw new ApiCallError(response.error);
      // The main process parsed the request with this method's schema and the engine built the result from it.
      return response.result as Result<M>;
    },
    onEvent(listener: (event: HostEvent) => void): () => void {
      if (typeof listener !== "function") throw new TypeError("onEvent needs a function");
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import WebSocket from "ws";
import { METHODS, type HostEvent, type Method, type Params, type Response, type Result } from "../../engine/api/index.js";
import { HostMessage } from "./messages.js";

/**
 * For the web host's tests: a WebSocket client that checks every message against the wire schema
 * and keeps them in arrival order, and a raw HTTP request that sends the path exactly as given
 * (no normalising of "..", which a browser or fetch would do before the server saw it).
 */

export class TestClient {
  /** Every message from the host, in order of arrival. */
  readonly messages: HostMessage[] = [];
  readonly #waiting = new Map<number, (response: Response) => void>();
  #nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = HostMessage.parse(JSON.parse(String(data)));
      this.messages.push(message);
      if (message.kind === "response") this.#waiting.get(message.id)?.(message);
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new TestClient(ws)));
      ws.once("unexpected-response", (req, res) => {
        // With this listener, ending the refused request is the client's job.
        req.destroy();
        reject(new Error(`upgrade refused: ${res.statusCode}`));
      });
      ws.once("error", reject);
    });
  }

  get events(): HostEvent[] {
    return this.messages.flatMap((m) => (m.kind === "event" ? [m.event] : []));
  }

  /** Sends anything, and waits for the response with `id`. */
  send(message: unknown, id: number): Promise<Response> {
    return new Promise((resolve) => {
      this.#waiting.set(id, (response) => {
        this.#waiting.delete(id);
        resolve(response);
      });
      this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
    });
  }

  /** Calls a method; its result is checked against the method's schema. */
  async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const response = await this.request(method, params);
    if (!response.ok) throw new Error(`${method} failed: ${response.error.kind}: ${response.error.message}`);
    return METHODS[method].result.parse(response.result) as Result<M>;
  }

  request(method: Method, params: unknown): Promise<Response> {
    const id = this.#nextId++;
    return this.send({ id, method, params }, id);
  }

  /** Waits until a message satisfies `test`, looking at those already received first. */
  async waitFor(test: (message: HostMessage) => boolean, timeoutMs = 30_000): Promise<HostMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(test);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error("no such message arrived");
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) resolve();
      else {
        this.ws.once("close", () => resolve());
        this.ws.close();
      }
    });
  }
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

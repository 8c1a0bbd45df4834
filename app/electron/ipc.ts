import type { IpcMain, IpcMainInvokeEvent, WebContents } from "electron";
import { HostEvent, METHODS, Request, type Response } from "../../engine/api/protocol.js";
import { CALL_CHANNEL, EVENT_CHANNEL } from "./channels.js";
import { isAppUrl } from "./security.js";

/**
 * The main-process side of the bridge. The renderer is untrusted, so every call is checked here
 * before the engine sees it — who sent it, how big it is, and that it is a known method with
 * valid params — and every refusal is an error Response: nothing the renderer sends can make
 * this handler throw, which would surface in the page as an opaque IPC failure.
 */

/** The part of GameService the bridge needs; kept structural so tests can stand in for it. */
export interface EngineHost {
  handle(request: unknown): Promise<Response>;
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/**
 * The largest request accepted, as JSON. The biggest legitimate one is a settings document,
 * a few kilobytes; anything far past that is a mistake or an attempt to exhaust the main process.
 */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** The id used for a refusal when the request carried no usable id of its own. */
export const NO_ID = -1;

function refusal(id: number, message: string, kind = "invalid-request"): Response {
  return { id, ok: false, error: { kind, message } };
}

function requestId(raw: unknown): number {
  if (typeof raw === "object" && raw !== null && "id" in raw) {
    const id = raw.id;
    if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return id;
  }
  return NO_ID;
}

function jsonSize(raw: unknown): number | undefined {
  try {
    const text = JSON.stringify(raw);
    return text === undefined ? undefined : Buffer.byteLength(text, "utf8");
  } catch {
    // Cycles and BigInts survive structured cloning but are not JSON, so not a request.
    return undefined;
  }
}

function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

/** The request to forward, with params parsed by its method's schema, or the refusal to answer. */
export function checkRequest(raw: unknown): { ok: true; request: Request } | { ok: false; response: Response } {
  const id = requestId(raw);
  const size = jsonSize(raw);
  if (size === undefined) return { ok: false, response: refusal(id, "The request is not a JSON value.") };
  if (size > MAX_REQUEST_BYTES) return { ok: false, response: refusal(id, `The request is ${size} bytes; the limit is ${MAX_REQUEST_BYTES}.`) };
  const envelope = Request.safeParse(raw);
  if (!envelope.success) return { ok: false, response: refusal(id, `Invalid request: ${describeIssues(envelope.error)}`) };
  const { method } = envelope.data;
  const params = METHODS[method].params.safeParse(envelope.data.params);
  if (!params.success) return { ok: false, response: refusal(id, `Invalid params for ${method}: ${describeIssues(params.error)}`) };
  return { ok: true, request: { id: envelope.data.id, method, params: params.data } };
}

/**
 * Only the top frame of our own window, showing our own page, may call the engine: not another
 * window, not an iframe, not a page that somehow navigated elsewhere.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, "sender" | "senderFrame">, contents: WebContents | undefined): boolean {
  if (contents === undefined || contents.isDestroyed() || event.sender !== contents) return false;
  const frame = event.senderFrame;
  const main = contents.mainFrame;
  if (frame === null || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}

/** Answers one call; never throws. */
export async function answerCall(engine: EngineHost, event: Pick<IpcMainInvokeEvent, "sender" | "senderFrame">, contents: WebContents | undefined, raw: unknown): Promise<Response> {
  if (!isTrustedSender(event, contents)) return refusal(requestId(raw), "This frame may not call the game.", "forbidden");
  const checked = checkRequest(raw);
  if (!checked.ok) return checked.response;
  try {
    return await engine.handle(checked.request);
  } catch (error) {
    // GameService.handle promises not to throw; if it ever does, the page still gets an answer.
    return { id: checked.request.id, ok: false, error: { kind: "internal", message: error instanceof Error ? error.message : String(error) } };
  }
}

/** `window()` is read per call, so a call from a closed or replaced window is refused. */
export function registerCallHandler(ipcMain: Pick<IpcMain, "handle" | "removeHandler">, engine: EngineHost, window: () => WebContents | undefined): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, raw: unknown) => answerCall(engine, event, window(), raw));
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Host events go to the window only in their protocol shape; anything else is dropped (and logged: it is an engine bug). */
export function forwardEvents(engine: EngineHost, window: () => WebContents | undefined): () => void {
  return engine.onEvent((event) => {
    const contents = window();
    if (contents === undefined || contents.isDestroyed()) return;
    const parsed = HostEvent.safeParse(event);
    if (parsed.success) contents.send(EVENT_CHANNEL, parsed.data);
    else console.warn(`taleweave: dropped a host event that does not match the protocol: ${describeIssues(parsed.error)}`);
  });
}

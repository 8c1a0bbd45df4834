import { ApiCallError, type ApiError } from "../../../engine/api/index.js";

/** A message for the player about the app, not the story: shown apart from the log, never as narration. */
export interface Notice {
  readonly id: number;
  readonly tone: "error" | "info";
  readonly title: string;
  readonly message: string;
}

/** Headings for the kinds of error the host and the model layer report; the message says what to do. */
const TITLES: Readonly<Record<string, string>> = {
  disconnected: "Connection lost",
  protocol: "Unexpected message from the game",
  busy: "A turn is still in progress",
  "invalid-request": "That request was not valid",
  "not-found": "Save not found",
  exists: "That name is taken",
  "invalid-name": "That name cannot be used",
  corrupt: "The save is damaged",
  foreign: "Not a Taleweave save",
  "too-new": "Made by a newer Taleweave",
  locked: "The save is in use",
  io: "A file could not be read or written",
  internal: "Something went wrong in the game",
  "invalid-settings": "Settings not saved",
  "in-use": "That save is being played",
  "no-game": "No game is open",
  closed: "The game is shutting down",
  unsupported: "Not available here",
  "key-store": "The key was not stored",
  "wrong-world": "A save of another world",
  "model-file": "A model file cannot be used",
  "out-of-memory": "Not enough memory for the model",
  "context-overflow": "The model's context is too small",
  auth: "The model provider refused the key",
  "rate-limit": "The model provider is busy",
  network: "Cannot reach the model provider",
  timeout: "A model took too long",
  unavailable: "No model is available",
  catalog: "The model catalog cannot be read",
  "download-not-in-catalog": "Not in the catalog",
  "download-busy": "Already downloading",
  "download-network": "The download failed",
  "download-auth": "The download needs a login",
  "download-not-found": "The model is not at its address",
  "download-changed-upstream": "The model has changed upstream",
  "download-mismatch": "The download was damaged",
  "download-exists": "Another file is in the way",
  "download-split": "A model in several files",
  "download-disk": "The model could not be saved",
};

let nextId = 1;

export function makeNotice(tone: Notice["tone"], title: string, message: string): Notice {
  return { id: nextId++, tone, title, message };
}

export function notice(tone: Notice["tone"], error: ApiError): Notice {
  return makeNotice(tone, TITLES[error.kind] ?? (tone === "error" ? "Something went wrong" : "Note"), error.message);
}

/**
 * The error a rejected call carries. Errors crossing Electron's contextBridge lose their class,
 * so a plain Error's message is used as it is.
 */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiCallError) return error.error;
  if (error instanceof Error) return { kind: "unexpected", message: error.message };
  return { kind: "unexpected", message: String(error) };
}

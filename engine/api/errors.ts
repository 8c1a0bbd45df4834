import { basename } from "node:path";
import { SettingsError, redactSecrets } from "../llm/index.js";
import { SessionError } from "../session/index.js";
import { StoreError } from "../store/index.js";
import type { ApiError } from "./protocol.js";

/**
 * Turning whatever went wrong into an ApiError the player can act on: what happened and what to
 * do, never a stack trace. Errors the engine already words for people (store, settings, session)
 * are rephrased around the save's name; anything else is a bug, shown by its message alone.
 */

/** A refusal the service words itself. */
export class ApiFailure extends Error {
  override readonly name = "ApiFailure";
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiFailure) return { kind: error.kind, message: error.message };
  if (error instanceof StoreError) return storeError(error);
  if (error instanceof SettingsError) return settingsError(error);
  if (error instanceof SessionError) {
    return error.kind === "busy"
      ? busy()
      : { kind: error.kind, message: `${error.message} Choose another save.` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "internal", message: `Something went wrong in the game: ${redactSecrets(message)}` };
}

export function busy(): ApiError {
  return { kind: "busy", message: "A turn is in progress. Wait for it to finish, or cancel it first." };
}

export function invalidRequest(message: string): ApiFailure {
  return new ApiFailure("invalid-request", message);
}

function storeError(error: StoreError): ApiError {
  const name = basename(error.file, ".sqlite");
  const save = `the save "${name}"`;
  switch (error.kind) {
    case "not-found":
      return { kind: "not-found", message: `No save called "${name}". Choose one from the list.` };
    case "exists":
      return { kind: "exists", message: `There is already a save called "${name}". Choose another name.` };
    case "invalid-name":
      return { kind: "invalid-name", message: `"${name}" cannot be a save name: ${error.problem}. Choose another name.` };
    case "corrupt":
      return { kind: "corrupt", message: `${capitalize(save)} is damaged and cannot be opened (${error.problem}). Choose another save.` };
    case "foreign":
      return { kind: "foreign", message: `"${name}" is not a Taleweave save (${error.problem}). Choose another save.` };
    case "too-new":
      return { kind: "too-new", message: `${capitalize(save)} was written by a newer Taleweave (${error.problem}). Update the game to open it.` };
    case "locked":
      return { kind: "locked", message: `${capitalize(save)} is in use by another program. Close it there and try again.` };
    case "io":
      return { kind: "io", message: `${capitalize(save)} could not be read or written (${error.problem}). Check the disk and the saves folder's permissions.` };
    case "invalid-data":
      // A request the save cannot carry out (a turn it does not have); refused before anything was written.
      return { kind: "invalid-data", message: `${capitalize(save)} was not changed: ${error.problem}.` };
  }
}

function settingsError(error: SettingsError): ApiError {
  // The settings file's path is the host's business; the player needs the problem.
  const prefix = `${error.file}: `;
  const problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  if (error.kind === "invalid" || error.kind === "too-new") return { kind: "invalid-settings", message: `These settings cannot be used: ${problem}` };
  return { kind: "io", message: `The settings could not be saved (${problem}). Check the data folder's permissions.` };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

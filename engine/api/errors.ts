import { basename } from "node:path";
import { CatalogError, PullError, SettingsError, redactSecrets, type PullErrorKind } from "../llm/index.js";
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
  if (error instanceof PullError) return pullError(error);
  if (error instanceof CatalogError) {
    return { kind: "catalog", message: withAdvice(error.message, "Fix the file or reinstall Taleweave; models can still be copied into the models folder by hand.") };
  }
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

/**
 * What to do after a failed download, by why it failed. Some of pullModel's messages already say
 * it (a gated model needs HF_TOKEN, a file in the way must be moved), so those get nothing more.
 */
const PULL_ADVICE: Readonly<Record<PullErrorKind, string>> = {
  "not-in-catalog": "Choose a model from the list.",
  busy: "Wait for it to finish, or cancel it first.",
  network: "Check the internet connection and try again.",
  auth: "",
  "not-found": "Update Taleweave, or download the file yourself and put it in the models folder.",
  "changed-upstream": "Update Taleweave, or download the file yourself and put it in the models folder.",
  mismatch: "The download was damaged on the way or the file has changed upstream. Try again; if it happens again, update Taleweave.",
  exists: "",
  split: "Update Taleweave, or download the parts yourself and put them in the models folder.",
  disk: "Free some space or fix the folder's permissions, then try again.",
  cancelled: "",
};

function pullError(error: PullError): ApiError {
  const advice = PULL_ADVICE[error.kind];
  return { kind: `download-${error.kind}`, message: withAdvice(capitalize(redactSecrets(error.message)), advice) };
}

/** A problem and what to do about it, as sentences; a problem listed over several lines keeps the advice apart. */
function withAdvice(problem: string, advice: string): string {
  const ended = /[.!?]$/.test(problem) ? problem : `${problem}.`;
  if (advice === "") return ended;
  return problem.includes("\n") ? `${ended}\n${advice}` : `${ended} ${advice}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

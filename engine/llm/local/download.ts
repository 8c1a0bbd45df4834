import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { createModelDownloader, type ModelDownloader } from "node-llama-cpp";
import type { CatalogEntry } from "./catalog.js";

/**
 * Downloads a catalog model into the models folder with node-llama-cpp's downloader.
 *
 * The file is fetched into a private staging folder (`<models>/.downloading/…`, which the folder
 * scan and watcher ignore), checked for size and sha256, and only then renamed into place — so the
 * game never sees, and never loads, a partial or wrong file. A file already in the models folder
 * is never overwritten or deleted.
 */

/**
 * Why a pull failed, so a UI can say what to do about it:
 * - `not-in-catalog`: no entry has that id; `busy`: that entry is already being downloaded
 * - `network`: the server cannot be reached, answered an error, or the transfer failed or stalled
 * - `auth`: the server wants a login; `not-found`: the file is not there (the entry may be out of date)
 * - `changed-upstream`: the server offers another size than the catalog's
 * - `mismatch`: the downloaded file's size or sha256 is not the catalog's (it was deleted)
 * - `exists`: a different file of that name is already in the models folder (it was left alone)
 * - `split`: the source is a model split into several files
 * - `disk`: the models folder cannot be written (full, read-only, no permission)
 * - `cancelled`: the caller's signal stopped it
 */
export type PullErrorKind =
  | "not-in-catalog" | "busy" | "network" | "auth" | "not-found" | "changed-upstream"
  | "mismatch" | "exists" | "split" | "disk" | "cancelled";

export class PullError extends Error {
  override readonly name = "PullError";
  constructor(readonly kind: PullErrorKind, message: string) {
    super(message);
  }
}

export interface PullProgress {
  readonly downloadedBytes: number;
  readonly totalBytes: number;
}

export interface PullOptions {
  readonly modelsDir: string;
  readonly onProgress?: (progress: PullProgress) => void;
  /** node-llama-cpp's own progress bar, for a terminal. */
  readonly showCliProgress?: boolean;
  /** How long to wait for the server to answer before giving up. */
  readonly connectTimeoutMs?: number;
  /** How long the download may go without receiving data before it is abandoned. */
  readonly stallTimeoutMs?: number;
  /** Stops the download (a PullError of kind `cancelled`); nothing is left in the models folder. */
  readonly signal?: AbortSignal;
}

export interface PullResult {
  readonly path: string;
  readonly status: "downloaded" | "already-present";
  /** Whether the file was checked against the catalog's sha256 (false when the catalog has none). */
  readonly verified: boolean;
}

const STAGING_DIR = ".downloading";

export async function pullModel(entry: CatalogEntry, options: PullOptions): Promise<PullResult> {
  const target = path.join(options.modelsDir, entry.file);
  const existing = await checkExisting(entry, target);
  if (existing !== undefined) return existing;

  const url = sourceUrl(entry.source);
  await preflight(entry, url, options.connectTimeoutMs ?? 15_000, options.signal);

  const staging = path.join(options.modelsDir, STAGING_DIR, `${entry.id}-${randomUUID()}`);
  try {
    await fs.mkdir(staging, { recursive: true });
    const downloaded = await download(entry, staging, options);
    await verify(entry, downloaded);
    // A cancel that came while the file was being checked still wins: nothing has been moved yet.
    throwIfCancelled(entry, options.signal);
    if (await exists(target)) {
      throw new PullError("exists", `${target} appeared while ${entry.id} was downloading; it was left as it is and the download was discarded`);
    }
    await fs.rename(downloaded, target);
    return { path: target, status: "downloaded", verified: entry.sha256 !== undefined };
  } catch (error) {
    throw diskError(entry, options.modelsDir, error) ?? error;
  } finally {
    // A cleanup that fails must not hide why the download failed; the staging folder is ignored by the scan anyway.
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    await fs.rmdir(path.dirname(staging)).catch(() => undefined);
  }
}

/** The https URL an `hf:` catalog source resolves to (for the reachability check); plain URLs as they are. */
export function sourceUrl(source: string): string {
  if (!source.startsWith("hf:")) return source;
  const [location = "", branch = "main"] = source.slice("hf:".length).split("#");
  const [user, repo, ...file] = location.split("/");
  return `https://huggingface.co/${user}/${repo}/resolve/${branch}/${file.join("/")}`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function checkExisting(entry: CatalogEntry, target: string): Promise<PullResult | undefined> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat === undefined) return undefined;
  if (stat.size !== entry.sizeBytes) {
    throw new PullError("exists", `${target} already exists but is ${stat.size} bytes, not the ${entry.sizeBytes} of ${entry.id}; move or delete it first (it was left untouched)`);
  }
  if (entry.sha256 === undefined) return { path: target, status: "already-present", verified: false };
  const actual = await sha256File(target);
  if (actual !== entry.sha256) {
    throw new PullError("exists", `${target} already exists but its sha256 is ${actual}, not the ${entry.sha256} of ${entry.id}; move or delete it first (it was left untouched)`);
  }
  return { path: target, status: "already-present", verified: true };
}

/**
 * A quick HEAD request before handing over to node-llama-cpp: its downloader retries a refused or
 * unresolvable host for minutes without a word, while this fails in a moment with the reason.
 */
async function preflight(entry: CatalogEntry, url: string, timeoutMs: number, cancel: AbortSignal | undefined): Promise<void> {
  const host = safeHost(url);
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    response = await fetch(url, { method: "HEAD", redirect: "follow", signal: cancel === undefined ? timeout : AbortSignal.any([timeout, cancel]) });
  } catch (error) {
    throwIfCancelled(entry, cancel);
    const code = causeCode(error);
    const reason = code === "ENOTFOUND" || code === "EAI_AGAIN"
      ? `${host} cannot be resolved: there seems to be no internet connection`
      : code === "ECONNREFUSED"
        ? `${host} refused the connection`
        : error instanceof Error && error.name === "TimeoutError"
          ? `${host} did not answer within ${Math.round(timeoutMs / 1000)} s`
          : `${host} cannot be reached (${code ?? messageOf(error)})`;
    throw new PullError("network", `Cannot download ${entry.id}: ${reason}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new PullError("auth", `Cannot download ${entry.id}: ${url} needs a login (HTTP ${response.status}); for a gated Hugging Face model, accept its licence on the website and set HF_TOKEN`);
  }
  if (response.status === 404) throw new PullError("not-found", `Cannot download ${entry.id}: ${url} was not found (HTTP 404); the catalog entry may be out of date`);
  if (!response.ok) throw new PullError("network", `Cannot download ${entry.id}: ${url} answered HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length"));
  if (Number.isFinite(length) && length > 0 && length !== entry.sizeBytes) {
    throw new PullError("changed-upstream", `Cannot download ${entry.id}: the server offers ${length} bytes but the catalog expects ${entry.sizeBytes}; the file has changed upstream`);
  }
}

async function download(entry: CatalogEntry, staging: string, options: PullOptions): Promise<string> {
  const stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
  const controller = new AbortController();
  const cancel = options.signal;
  throwIfCancelled(entry, cancel);
  const onCancel = (): void => controller.abort();
  cancel?.addEventListener("abort", onCancel, { once: true });
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    stallTimer = setTimeout(() => controller.abort(), stallTimeoutMs);
  };

  let downloader: ModelDownloader;
  try {
    armStallTimer();
    downloader = await abortable(createModelDownloader({
      modelUri: entry.source,
      dirPath: staging,
      fileName: entry.file,
      skipExisting: false,
      deleteTempFileOnCancel: true,
      showCliProgress: options.showCliProgress ?? false,
      onProgress: ({ downloadedSize, totalSize }) => {
        armStallTimer();
        options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize });
      },
    }), controller.signal);
    if (downloader.totalFiles !== 1) {
      throw new PullError("split", `Cannot download ${entry.id}: ${entry.source} is a model split into ${downloader.totalFiles} files; the catalog lists single files only`);
    }
    const file = await downloader.download({ signal: controller.signal });
    // node-llama-cpp's download resolves, rather than rejects, when its signal stops it.
    if (controller.signal.aborted) throw new Error("aborted");
    return file;
  } catch (error) {
    if (error instanceof PullError) throw error;
    throwIfCancelled(entry, cancel);
    if (controller.signal.aborted) {
      throw new PullError("network", `Download of ${entry.id} stalled: no data for ${Math.round(stallTimeoutMs / 1000)} s`);
    }
    throw diskError(entry, options.modelsDir, error)
      ?? new PullError("network", `Download of ${entry.id} from ${entry.source} failed (${messageOf(error)})`);
  } finally {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    cancel?.removeEventListener("abort", onCancel);
  }
}

async function verify(entry: CatalogEntry, file: string): Promise<void> {
  const { size } = await fs.stat(file);
  if (size !== entry.sizeBytes) {
    throw new PullError("mismatch", `Download of ${entry.id} is ${size} bytes, not the ${entry.sizeBytes} the catalog expects; it was deleted`);
  }
  if (entry.sha256 === undefined) return;
  const actual = await sha256File(file);
  if (actual !== entry.sha256) {
    throw new PullError("mismatch", `Download of ${entry.id} has sha256 ${actual}, not the ${entry.sha256} the catalog expects; it was deleted`);
  }
}

/** node-llama-cpp's createModelDownloader takes no signal; this lets a stalled start be given up on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function throwIfCancelled(entry: CatalogEntry, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PullError("cancelled", `Download of ${entry.id} was cancelled; nothing was kept`);
}

/** Codes of a models folder that cannot take the file: full, over quota, read-only, or not ours to write. */
const DISK_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the folder is on a read-only disk",
  EACCES: "there is no permission to write there",
  EPERM: "there is no permission to write there",
  ENOTDIR: "a file is in the way of the folder",
};

/** A PullError of kind `disk` when writing the models folder failed, whatever layer the error came through. */
function diskError(entry: CatalogEntry, modelsDir: string, error: unknown): PullError | undefined {
  if (error instanceof PullError) return undefined;
  for (let cause: unknown = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    const code = typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
    const problem = code === undefined ? undefined : DISK_PROBLEMS[code];
    if (problem !== undefined) return new PullError("disk", `Cannot save ${entry.id} in ${modelsDir}: ${problem} (${code})`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined)) !== undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code;
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import fs from "node:fs/promises";
import path from "node:path";
import { loadCatalog, type CatalogEntry } from "./catalog.js";
import { pullModel, PullError, type PullResult } from "./download.js";

/**
 * Catalog models for a UI: which are in the models folder, and downloads started and cancelled
 * by id while the game runs. `pullModel` does the fetching and guarantees that only a complete,
 * verified file ever appears in the folder; this adds what a long-lived host needs around it —
 * one download per entry at a time, cancellation, progress a UI can draw without being flooded,
 * and stopping everything at shutdown.
 */

/**
 * - `absent`: not in the models folder; it can be downloaded
 * - `present`: a file of that name and the catalog's size is there (its sha256 is checked when
 *   it is downloaded, not on every listing: hashing gigabytes takes too long for a list)
 * - `different`: a file of that name but another size is there; a download would not replace it
 * - `downloading`: a download of it is under way
 */
export type CatalogModelStatus = "absent" | "present" | "different" | "downloading";

export interface CatalogModelState {
  readonly entry: CatalogEntry;
  readonly status: CatalogModelStatus;
  /** While downloading: how far, 0..1. */
  readonly progress?: number;
}

export interface CatalogDownloadsOptions {
  readonly modelsDir: string;
  /** models/catalog.json beside the code unless given (tests point it at a local server's files). */
  readonly catalogFile?: string;
  readonly connectTimeoutMs?: number;
  readonly stallTimeoutMs?: number;
}

export interface DownloadProgress {
  readonly id: string;
  readonly file: string;
  /** 0..1, below 1 until the file is checked and in place. */
  readonly progress: number;
}

export type DownloadOutcome = PullResult | { readonly status: "cancelled" };

/** Progress is reported in steps of this much, so a fast download does not flood a UI's connection. */
const PROGRESS_STEP = 0.01;
/** What the bar shows once every byte is in, while the file is checked and moved into place. */
const VERIFYING = 0.999;

interface Running {
  readonly controller: AbortController;
  /** Settles (never rejects) when the download is over. */
  readonly over: Promise<unknown>;
  progress: number;
}

export class CatalogDownloads {
  readonly modelsDir: string;
  readonly #options: CatalogDownloadsOptions;
  readonly #running = new Map<string, Running>();
  #closed = false;

  constructor(options: CatalogDownloadsOptions) {
    this.modelsDir = options.modelsDir;
    this.#options = options;
  }

  /** The catalog's entries and where each stands. The catalog is read each time, so an edit applies without a restart. */
  async list(): Promise<CatalogModelState[]> {
    const catalog = await loadCatalog(this.#options.catalogFile);
    return Promise.all(catalog.models.map(async (entry): Promise<CatalogModelState> => {
      const running = this.#running.get(entry.id);
      if (running !== undefined) return { entry, status: "downloading", progress: running.progress };
      const stat = await fs.stat(path.join(this.modelsDir, entry.file)).catch(() => undefined);
      if (stat === undefined) return { entry, status: "absent" };
      return { entry, status: stat.size === entry.sizeBytes ? "present" : "different" };
    }));
  }

  /**
   * Downloads one entry into the models folder and resolves when it is there, or with
   * `cancelled` when `cancel(id)` stopped it. Fails with a PullError saying why.
   */
  async download(id: string, onProgress?: (progress: DownloadProgress) => void): Promise<DownloadOutcome> {
    if (this.#closed) throw new PullError("cancelled", "The game is shutting down; nothing was downloaded");
    if (this.#running.has(id)) throw new PullError("busy", `${id} is already being downloaded`);
    const controller = new AbortController();
    let settle: () => void = () => undefined;
    const running: Running = { controller, over: new Promise<void>((resolve) => (settle = resolve)), progress: 0 };
    // Registered before anything is awaited: a cancel sent right after the request always finds it.
    this.#running.set(id, running);
    try {
      const catalog = await loadCatalog(this.#options.catalogFile);
      const entry = catalog.models.find((candidate) => candidate.id === id);
      if (entry === undefined) {
        throw new PullError("not-in-catalog", `The catalog has no model "${id}"; known: ${catalog.models.map((m) => m.id).join(", ")}`);
      }
      if (controller.signal.aborted) return { status: "cancelled" };
      const report = (progress: number): void => {
        if (progress < running.progress + PROGRESS_STEP && progress < VERIFYING) return;
        if (progress === running.progress) return;
        running.progress = progress;
        onProgress?.({ id, file: entry.file, progress });
      };
      // The bar appears at once, before the server has answered.
      onProgress?.({ id, file: entry.file, progress: 0 });
      return await pullModel(entry, {
        modelsDir: this.modelsDir,
        signal: controller.signal,
        ...(this.#options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: this.#options.connectTimeoutMs }),
        ...(this.#options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: this.#options.stallTimeoutMs }),
        onProgress: ({ downloadedBytes, totalBytes }) => {
          if (totalBytes > 0) report(Math.min(VERIFYING, downloadedBytes / totalBytes));
        },
      });
    } catch (error) {
      if (error instanceof PullError && error.kind === "cancelled") return { status: "cancelled" };
      throw error;
    } finally {
      this.#running.delete(id);
      settle();
    }
  }

  /** Stops a download under way; false when there was none for that id. */
  cancel(id: string): boolean {
    const running = this.#running.get(id);
    if (running === undefined || running.controller.signal.aborted) return false;
    running.controller.abort();
    return true;
  }

  /** Cancels every download and waits until each has cleaned up after itself. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#running.values()];
    for (const download of running) download.controller.abort();
    await Promise.all(running.map((download) => download.over));
  }
}

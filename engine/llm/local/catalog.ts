import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { Slot } from "../model-spec.js";

/**
 * models/catalog.json: recommended GGUF models per slot. It ships with the code (it is not read
 * from a moved models folder) and is validated on load, so a hand-edited catalog with a typo fails
 * with the field that is wrong rather than with a download of the wrong thing.
 */

/** `hf:<user>/<repo>/<file>.gguf` (optionally `#<branch>`), which node-llama-cpp's downloader resolves, or a plain URL. */
const HF_FILE_URI = /^hf:[\w.-]+\/[\w.-]+\/[^#\s]+\.gguf(#[\w./-]+)?$/i;

export const CatalogEntry = z.strictObject({
  /** What `npm run models -- pull <id>` takes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, "lower-case letters, digits, dots and dashes"),
  slot: Slot,
  name: z.string().min(1),
  source: z.string().refine((source) => HF_FILE_URI.test(source) || /^https?:\/\/\S+$/.test(source),
    "an hf:<user>/<repo>/<file>.gguf URI or an http(s) URL"),
  /** The file name in the models folder. */
  file: z.string().regex(/^[^/\\]+\.gguf$/i, "a file name ending in .gguf, without folders"),
  sizeBytes: z.number().int().positive(),
  /** Only where a published value can be cited; the download is then verified against it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lower-case hex digits").optional(),
  /** Where the sha256 and size were taken from. */
  sha256Source: z.string().min(1).optional(),
  licence: z.string().min(1),
  licenceUrl: z.url().optional(),
  notes: z.string(),
}).refine((entry) => entry.sha256 === undefined || entry.sha256Source !== undefined, {
  message: "a sha256 needs a sha256Source saying where it comes from",
  path: ["sha256Source"],
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z.strictObject({
  version: z.literal(1),
  models: z.array(CatalogEntry).min(1),
}).superRefine((catalog, context) => {
  const seen = new Set<string>();
  catalog.models.forEach((entry, index) => {
    if (seen.has(entry.id)) context.addIssue({ code: "custom", message: `duplicate id ${entry.id}`, path: ["models", index, "id"] });
    seen.add(entry.id);
  });
});
export type Catalog = z.infer<typeof Catalog>;

export function defaultCatalogPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../models/catalog.json");
}

export class CatalogError extends Error {
  override readonly name = "CatalogError";
}

export async function loadCatalog(file: string = defaultCatalogPath()): Promise<Catalog> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    throw new CatalogError(`The model catalog ${file} cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`The model catalog ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = Catalog.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new CatalogError(`The model catalog ${file} is invalid:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

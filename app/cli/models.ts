import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { readGgufFileInfo } from "node-llama-cpp";
import { CatalogError, loadCatalog, type CatalogEntry } from "../../engine/llm/index.js";
import { pullModel, PullError, type PullProgress } from "../../engine/llm/index.js";
import { GgufFileError, inspectGguf } from "../../engine/llm/index.js";
import { defaultModelsDir, scanModels, type ModelFileInfo } from "../../engine/llm/index.js";
import type { CliIo } from "./io.js";

/** `npm run models -- list|info <file>|pull <catalog-id>`: the models folder and the catalog, from a terminal. */

const USAGE = `Usage: npm run models -- <command> [--json]

  list               the GGUF files in the models folder, and the catalog's recommendations
  info <file>        everything the GGUF header says about one file (a name in the models folder, or a path)
  pull <catalog-id>  download a catalog model into the models folder, verifying its sha256

The models folder is TALEWEAVE_MODELS_DIR, else models/ in the repository.`;

/** Runs the command and returns the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runModelsCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } } });
  } catch (error) {
    io.stderr.write(`${errorMessage(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const [command, argument, ...extra] = parsed.positionals;
  const json = parsed.values.json;
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  if (parsed.values.help || command === undefined || command === "help") {
    out(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  const modelsDir = defaultModelsDir(io.env);
  try {
    if (command === "list" && argument === undefined) return await list(modelsDir, json, out);
    if (command === "info" && argument !== undefined && extra.length === 0) return await info(modelsDir, argument, json, out);
    if (command === "pull" && argument !== undefined && extra.length === 0) return await pull(modelsDir, argument, json, out, io);
  } catch (error) {
    if (error instanceof CatalogError || error instanceof PullError || error instanceof GgufFileError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.stderr.write(`Unknown command: ${parsed.positionals.join(" ")}\n\n${USAGE}\n`);
  return 2;
}

async function list(modelsDir: string, json: boolean, out: (text: string) => void): Promise<number> {
  const [files, catalog] = await Promise.all([scanModels(modelsDir), loadCatalog()]);
  if (json) {
    out(JSON.stringify({ modelsDir, files, catalog: catalog.models }, null, 2));
    return 0;
  }
  out(`Models folder: ${modelsDir}`);
  if (files.length === 0) out("  (no .gguf files)");
  for (const file of files) out(`  ${describeFile(file)}`);
  out("");
  out("Catalog (npm run models -- pull <id>):");
  const present = new Set(files.map((file) => file.name));
  for (const entry of catalog.models) out(`  ${describeEntry(entry, present.has(entry.file))}`);
  return 0;
}

async function info(modelsDir: string, name: string, json: boolean, out: (text: string) => void): Promise<number> {
  const file = path.resolve(modelsDir, name);
  const summary = await inspectGguf(file);
  // The summary has passed the checks, so reading the whole header again is safe; token lists are summarized.
  const header = await readGgufFileInfo(file, { sourceType: "filesystem", logWarnings: false, readTensorInfo: false, spliceSplitFiles: false });
  const metadata = flattenMetadata(header.metadata);
  if (json) {
    out(JSON.stringify({ ...summary, metadata }, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2));
    return 0;
  }
  out(`${summary.path}`);
  out(`  size            ${formatBytes(summary.sizeBytes)} (${summary.sizeBytes} bytes)`);
  out(`  architecture    ${summary.architecture}${summary.modelName === undefined ? "" : ` (${summary.modelName})`}`);
  out(`  parameters      ${formatCount(summary.parameterCount)}`);
  out(`  quantization    ${summary.quantization}`);
  out(`  context length  ${summary.contextLength ?? "not stated"}`);
  out(`  chat template   ${summary.hasChatTemplate ? "yes" : "no (node-llama-cpp guesses a chat format)"}`);
  out(`  vocabulary      ${summary.vocabularySize ?? "not stated"}`);
  out(`  tensors         ${summary.tensorCount}, GGUF version ${summary.ggufVersion}`);
  out("  metadata:");
  for (const [key, value] of Object.entries(metadata)) out(`    ${key} = ${value}`);
  return 0;
}

async function pull(modelsDir: string, id: string, json: boolean, out: (text: string) => void, io: CliIo): Promise<number> {
  const catalog = await loadCatalog();
  const entry = catalog.models.find((candidate) => candidate.id === id);
  if (entry === undefined) {
    io.stderr.write(`No catalog entry ${JSON.stringify(id)}. Known ids: ${catalog.models.map((candidate) => candidate.id).join(", ")}\n`);
    return 1;
  }
  const terminal = io.stdout.isTTY === true && !json;
  if (!json) out(`Downloading ${entry.name} (${formatBytes(entry.sizeBytes)}) from ${entry.source}`);
  let reported = -1;
  const result = await pullModel(entry, {
    modelsDir,
    showCliProgress: terminal,
    // Without a terminal (CI logs, pipes) a line per tenth keeps the output readable.
    onProgress: terminal || json ? undefined : (progress: PullProgress) => {
      const tenth = Math.floor((progress.downloadedBytes / Math.max(progress.totalBytes, 1)) * 10);
      if (tenth > reported) {
        reported = tenth;
        out(`  ${tenth * 10}% (${formatBytes(progress.downloadedBytes)} of ${formatBytes(progress.totalBytes)})`);
      }
    },
  });
  if (json) {
    out(JSON.stringify(result));
  } else {
    const check = result.verified ? "sha256 verified" : "no sha256 in the catalog to verify against";
    out(result.status === "downloaded" ? `Saved ${result.path} (${check}).` : `${result.path} is already there (${check}).`);
  }
  return 0;
}

function describeFile(file: ModelFileInfo): string {
  if (file.metadata === undefined) return `${file.name}  ${formatBytes(file.size)}  PROBLEM: ${file.problem ?? "unknown"}`;
  const m = file.metadata;
  return [
    file.name,
    formatBytes(file.size),
    m.architecture,
    `${formatCount(m.parameterCount)} params`,
    m.quantization,
    `ctx ${m.contextLength ?? "?"}`,
    m.hasChatTemplate ? "chat template" : "no chat template",
  ].join("  ");
}

function describeEntry(entry: CatalogEntry, installed: boolean): string {
  return `${entry.id}  [${entry.slot}]  ${entry.name}  ${formatBytes(entry.sizeBytes)}  ${entry.licence}${entry.sha256 === undefined ? "  (no sha256)" : ""}${installed ? "  (in the folder)" : ""}`;
}

/** GGUF metadata as dotted keys, with long arrays (token lists) shown by length. */
function flattenMetadata(value: unknown, prefix = "", into: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value)) {
    into[prefix] = value.length > 16 ? `[${value.length} items]` : JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) flattenMetadata(child, prefix === "" ? key : `${prefix}.${key}`, into);
  } else if (typeof value === "string") {
    into[prefix] = value.length > 200 ? `${JSON.stringify(value.slice(0, 200))}… (${value.length} characters)` : JSON.stringify(value);
  } else {
    into[prefix] = String(value);
  }
  return into;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}K`;
  return String(count);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await runModelsCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  // node-llama-cpp's downloader can leave retry timers behind after a failed connection.
  process.exit();
}

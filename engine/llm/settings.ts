import { existsSync, fsyncSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { BudgetLimits } from "./budget.js";
import { CachePolicy } from "./cache.js";
import { CircuitPolicy } from "./circuit-breaker.js";
import { GeminiModelSpec, LocalModelSpec, OpenAICompatibleModelSpec, OpenRouterModelSpec } from "./model-spec.js";
import { RetryPolicy } from "./retry.js";
import { RouteOverrides } from "./routes.js";

/**
 * The app's settings file, `<data dir>/settings.json`: which models each slot uses, route
 * overrides, budgets, and the router's resilience defaults. Versioned and validated with zod.
 *
 * Secrets are not settings. API keys come from the environment or the OS keychain; the schema
 * refuses any key named like one (apiKey, token, secret, password, ...) and any value that looks
 * like one (sk-..., AIza..., a bearer token, credentials inside a URL), so a settings file can be
 * shared in a bug report without leaking anything.
 */

export const SETTINGS_VERSION = 1;
export const SETTINGS_FILE = "settings.json";

// ---------------------------------------------------------------------------------------------
// Secrets

const SECRET_KEY_ANYWHERE = /secret|password|passwd|credential|authorization|bearer/i;
// Anchored at the end so that `apiKeyEnv` (the *name* of a variable) and `maxTokens` pass.
const SECRET_KEY_SUFFIX = /(api[-_]?keys?|private[-_]?key|token)$/i;

const SECRET_VALUES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9][A-Za-z0-9_-]{15,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(?<=\/\/)[^/\s:@]+:[^/\s@]+(?=@)/g,
  /(?<=[?&](?:key|api[-_]?key|token|access[-_]?token|sig)=)[^&\s"']+/gi,
];

export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_ANYWHERE.test(key) || SECRET_KEY_SUFFIX.test(key);
}

export function containsSecret(text: string): boolean {
  return SECRET_VALUES.some(pattern => {
    pattern.lastIndex = 0;
    return pattern.test(text);
  });
}

/** The text with anything that looks like a key or token replaced by "[redacted]". */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, "[redacted]");
  return out;
}

export type SettingsPath = readonly (string | number)[];

/** Where (like `["slots", "main", 0, "apiKey"]`) a raw value holds secrets; the secrets themselves are never repeated. */
export function findSecrets(value: unknown, path: SettingsPath = []): SettingsPath[] {
  if (typeof value === "string") return containsSecret(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecrets(item, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => (isSecretKeyName(key) ? [[...path, key]] : findSecrets(item, [...path, key])));
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Schema

// model-spec.ts's objects drop unknown keys; settings refuse them, so a misspelt option or a
// pasted key is an error the player sees rather than something silently ignored.
export const SettingsModelSpec = z.discriminatedUnion("provider", [
  LocalModelSpec.strict(),
  OpenRouterModelSpec.strict(),
  OpenAICompatibleModelSpec.strict(),
  GeminiModelSpec.strict(),
]);

/** Each slot's chain of models, primary first. An empty chain means the slot is offline. */
export const SlotChains = z.strictObject({
  main: z.array(SettingsModelSpec).default([]),
  cot: z.array(SettingsModelSpec).default([]),
  utility: z.array(SettingsModelSpec).default([]),
});
export type SlotChains = z.infer<typeof SlotChains>;

export const RouterDefaults = z.strictObject({
  /**
   * Per model call. Generous because a local model on a small CPU can take minutes for a long
   * narration; a hung cloud call is caught sooner by the provider's own connection errors.
   */
  timeoutMs: z.number().int().min(1).default(180_000),
  retries: RetryPolicy.prefault({}),
  circuitBreaker: CircuitPolicy.prefault({}),
});
export type RouterDefaults = z.infer<typeof RouterDefaults>;

const AppSettingsShape = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  slots: SlotChains.prefault({}),
  routes: RouteOverrides.default({}),
  budgets: BudgetLimits.default({}),
  defaults: RouterDefaults.prefault({}),
  cache: CachePolicy.prefault({}),
});

export const AppSettings = z.preprocess((raw, ctx) => {
  for (const path of findSecrets(raw)) {
    ctx.issues.push({
      code: "custom",
      input: undefined,
      path: [...path],
      message: "secrets are not settings: put API keys in the environment or the OS keychain",
    });
  }
  return raw;
}, AppSettingsShape);
export type AppSettings = z.infer<typeof AppSettingsShape>;

// ---------------------------------------------------------------------------------------------
// Errors

export const SETTINGS_ERROR_KINDS = ["corrupt", "invalid", "too-new", "io"] as const;
export type SettingsErrorKind = (typeof SETTINGS_ERROR_KINDS)[number];

/** Why a settings file was refused. Names the file; never changes it. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  constructor(
    readonly kind: SettingsErrorKind,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

// ---------------------------------------------------------------------------------------------
// Files

/**
 * Where settings and the usage ledger live: `TALEWEAVE_DATA_DIR`, else `.taleweave-data` at the
 * root of the repository this file is in (the packaged app sets the variable to the user's data
 * directory).
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TALEWEAVE_DATA_DIR;
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  return resolve(fileURLToPath(new URL("../../", import.meta.url)), ".taleweave-data");
}

export function settingsPath(dir: string): string {
  return join(dir, SETTINGS_FILE);
}

/** Validates settings from any source; throws a SettingsError naming `file`. */
export function parseSettings(raw: unknown, file: string): AppSettings {
  if (raw !== null && typeof raw === "object" && "version" in raw) {
    const version = raw.version;
    if (typeof version === "number" && version > SETTINGS_VERSION) {
      throw new SettingsError("too-new", file, `written by a newer Taleweave (settings version ${version}; this version reads ${SETTINGS_VERSION})`);
    }
  }
  const parsed = AppSettings.safeParse(raw);
  if (!parsed.success) throw new SettingsError("invalid", file, `invalid settings:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}

/** The settings in `dir`, or undefined when there is no settings file yet. */
export function loadSettings(dir: string): AppSettings | undefined {
  const file = settingsPath(dir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    if (isNodeError(cause) && cause.code === "ENOENT") return undefined;
    throw new SettingsError("io", file, `cannot read: ${messageOf(cause)}`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new SettingsError("corrupt", file, `not valid JSON (${messageOf(cause)})`, { cause });
  }
  return parseSettings(raw, file);
}

export interface LoadedSettings {
  readonly settings: AppSettings;
  readonly source: "file" | "defaults";
  /** Why the file was not used, when there was one. The file is left as it is. */
  readonly problem?: SettingsError;
}

/** For startup: the file's settings, else defaults, with the reason when a file was refused. */
export function loadSettingsOrDefaults(dir: string, modelFiles: readonly string[]): LoadedSettings {
  try {
    const settings = loadSettings(dir);
    return settings === undefined ? { settings: defaultSettings(modelFiles), source: "defaults" } : { settings, source: "file" };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return { settings: defaultSettings(modelFiles), source: "defaults", problem: error };
  }
}

export interface SaveResult {
  readonly file: string;
  /** Where an unreadable settings file that was in the way has been kept. */
  readonly keptBadFile?: string;
}

/**
 * Writes settings atomically (a temporary file, flushed, then renamed over the old one), so a
 * crash leaves either the old file or the new one. An existing file this version cannot read
 * (corrupt, invalid, or from a newer Taleweave) is not overwritten: it is kept beside as
 * `settings.json.bad-<n>` (the first free n), because it may hold a player's work.
 */
export function saveSettings(dir: string, settings: AppSettings): SaveResult {
  const file = settingsPath(dir);
  const valid = parseSettings(settings, file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new SettingsError("io", file, `cannot create the data directory: ${messageOf(cause)}`, { cause });
  }

  let keptBadFile: string | undefined;
  try {
    loadSettings(dir);
  } catch (error) {
    if (!(error instanceof SettingsError) || error.kind === "io") throw error;
    keptBadFile = freeBadName(file);
    renameOrThrow(file, keptBadFile);
  }

  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const fd = openSync(temp, "wx", 0o600);
    try {
      writeSync(fd, `${JSON.stringify(valid, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (cause) {
    throw new SettingsError("io", file, `cannot write: ${messageOf(cause)}`, { cause });
  }
  renameOrThrow(temp, file);
  return keptBadFile === undefined ? { file } : { file, keptBadFile };
}

function freeBadName(file: string): string {
  for (let n = 1; ; n++) {
    const candidate = `${file}.bad-${n}`;
    if (!existsSync(candidate)) return candidate;
  }
}

function renameOrThrow(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (cause) {
    throw new SettingsError("io", to, `cannot rename ${basename(from)}: ${messageOf(cause)}`, { cause });
  }
}

// ---------------------------------------------------------------------------------------------
// Defaults

// Split GGUF models come as name-00001-of-00003.gguf, ...; only the first part is loadable.
const SPLIT_PART = /-(\d+)-of-\d+\.gguf$/i;

/** A file a fresh install can put in a slot: a GGUF, not hidden, not a later part of a split model. */
export function isSuitableModelFile(name: string): boolean {
  const base = basename(name);
  if (!/\.gguf$/i.test(base) || base.startsWith(".")) return false;
  const part = SPLIT_PART.exec(base)?.[1];
  return part === undefined || Number(part) === 1;
}

/**
 * Settings that work on a fresh machine: every slot on the first suitable GGUF file in the order
 * given (the models folder's listing), or no models at all, which is offline play.
 */
export function defaultSettings(modelFiles: readonly string[]): AppSettings {
  const file = modelFiles.find(isSuitableModelFile);
  const chain = file === undefined ? [] : [{ provider: "local" as const, file }];
  return parseSettings({ version: SETTINGS_VERSION, slots: { main: chain, cot: chain, utility: chain } }, "default settings");
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

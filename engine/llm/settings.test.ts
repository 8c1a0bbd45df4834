import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AppSettings,
  containsSecret,
  dataDir,
  defaultSettings,
  findSecrets,
  isSuitableModelFile,
  loadSettings,
  loadSettingsOrDefaults,
  redactSecrets,
  saveSettings,
  SettingsError,
  settingsPath,
} from "./settings.js";

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "tw-settings-"));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const sample = (): AppSettings =>
  AppSettings.parse({
    version: 1,
    slots: {
      main: [{ provider: "openrouter", model: "qwen/qwen3-8b", pricing: { inputPerMillion: 0.05, outputPerMillion: 0.2 } }, { provider: "local", file: "a.gguf", threads: 2 }],
      cot: [{ provider: "gemini", model: "gemini-2.5-flash" }],
      utility: [{ provider: "openai-compatible", model: "llama3", baseUrl: "http://127.0.0.1:11434/v1" }],
    },
    routes: { narration: { critical: { maxTokens: 4096 } } },
    budgets: { dailyUsd: 1, sessionUsd: 0.25 },
    defaults: { timeoutMs: 30_000, retries: { maxAttempts: 2 } },
  });

describe("settings schema", () => {
  it("fills defaults", () => {
    const settings = AppSettings.parse({ version: 1 });
    expect(settings.slots).toEqual({ main: [], cot: [], utility: [] });
    expect(settings.defaults.retries.maxAttempts).toBe(3);
    expect(settings.defaults.circuitBreaker).toEqual({ failureThreshold: 3, cooldownMs: 30_000 });
    expect(settings.cache.enabled).toBe(true);
    expect(settings.budgets).toEqual({});
  });

  it("refuses unknown keys anywhere, a misspelt option included", () => {
    expect(AppSettings.safeParse({ version: 1, extra: true }).success).toBe(false);
    expect(AppSettings.safeParse({ version: 1, slots: { main: [{ provider: "local", file: "a.gguf", thread: 2 }] } }).success).toBe(false);
    expect(AppSettings.safeParse({ version: 1, budgets: { monthlyUsd: 3 } }).success).toBe(false);
    expect(AppSettings.safeParse({ version: 1, defaults: { retries: { attempts: 3 } } }).success).toBe(false);
  });

  it("refuses secrets by key name anywhere, and by value", () => {
    const withKey = (extra: Record<string, unknown>) => ({ version: 1, slots: { main: [{ provider: "openrouter", model: "m", ...extra }] } });
    for (const extra of [{ apiKey: "x" }, { api_key: "x" }, { token: "x" }, { accessToken: "x" }, { clientSecret: "x" }, { password: "x" }]) {
      const parsed = AppSettings.safeParse(withKey(extra));
      expect(parsed.success).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain("secrets are not settings");
    }
    for (const url of ["https://user:pass@example.com/v1", "https://example.com/v1?key=AIzaSyA1234567890abcdefghijklmnopqrstu"]) {
      expect(AppSettings.safeParse({ version: 1, slots: { utility: [{ provider: "openai-compatible", model: "m", baseUrl: url }] } }).success).toBe(false);
    }
    expect(AppSettings.safeParse({ version: 1, slots: { main: [{ provider: "local", file: "sk-abcdefghijklmnopqrstuvwxyz.gguf" }] } }).success).toBe(false);
    // The name of an environment variable is not a secret, and maxTokens is not a token.
    expect(AppSettings.safeParse({ version: 1, routes: { narration: { routine: { maxTokens: 10 } } }, slots: { utility: [{ provider: "openai-compatible", model: "m", baseUrl: "http://x/v1", apiKeyEnv: "MY_KEY" }] } }).success).toBe(true);
  });

  it("never holds a secret: no parsed settings contain a secret-like key or value", () => {
    for (const settings of [sample(), defaultSettings(["a.gguf"]), defaultSettings([])]) {
      expect(findSecrets(settings)).toEqual([]);
    }
  });

  it("finds and redacts secrets without repeating them", () => {
    expect(findSecrets({ a: [{ apiKey: "x" }], b: "Bearer abcdefghijkl", c: "fine" })).toEqual([["a", 0, "apiKey"], ["b"]]);
    expect(containsSecret("sk-or-v1-abcdef0123456789")).toBe(true);
    expect(containsSecret("a normal sentence about skies")).toBe(false);
    expect(redactSecrets("auth failed for sk-proj-abcdefghijklmnop1234")).toBe("auth failed for [redacted]");
  });
});

describe("loadSettings / saveSettings", () => {
  it("returns undefined when there is no file yet", () => {
    expect(loadSettings(tempDir())).toBeUndefined();
  });

  it("saves atomically and loads back what it saved", () => {
    const dir = join(tempDir(), "nested", "data");
    const settings = sample();
    expect(saveSettings(dir, settings)).toEqual({ file: settingsPath(dir) });
    expect(loadSettings(dir)).toEqual(settings);
    expect(readdirSync(dir)).toEqual(["settings.json"]);
    expect(JSON.parse(readFileSync(settingsPath(dir), "utf8")).version).toBe(1);
  });

  it("refuses a corrupt file with a typed error naming it", () => {
    const dir = tempDir();
    writeFileSync(settingsPath(dir), "{ not json");
    expect(() => loadSettings(dir)).toThrow(SettingsError);
    try {
      loadSettings(dir);
    } catch (error) {
      expect(error).toMatchObject({ kind: "corrupt", file: settingsPath(dir) });
      expect((error as Error).message).toContain(settingsPath(dir));
    }
  });

  it("refuses a file from a newer version, and an invalid one", () => {
    const dir = tempDir();
    writeFileSync(settingsPath(dir), JSON.stringify({ version: 2, slots: {} }));
    expect(() => loadSettings(dir)).toThrow(expect.objectContaining({ kind: "too-new" }));
    writeFileSync(settingsPath(dir), JSON.stringify({ version: 1, slots: { main: [{ provider: "ollama" }] } }));
    expect(() => loadSettings(dir)).toThrow(expect.objectContaining({ kind: "invalid" }));
    writeFileSync(settingsPath(dir), JSON.stringify({ version: 1, slots: { main: [{ provider: "openrouter", model: "m", apiKey: "sk-abcdefghijklmnopqrstuv" }] } }));
    const error = (() => {
      try {
        loadSettings(dir);
      } catch (e) {
        return e as SettingsError;
      }
    })();
    expect(error?.kind).toBe("invalid");
    expect(error?.message).not.toContain("sk-abcdefghijklmnopqrstuv");
  });

  it("falls back to defaults without touching a bad file", () => {
    const dir = tempDir();
    writeFileSync(settingsPath(dir), "garbage");
    const loaded = loadSettingsOrDefaults(dir, ["m.gguf"]);
    expect(loaded.source).toBe("defaults");
    expect(loaded.problem?.kind).toBe("corrupt");
    expect(loaded.settings.slots.main).toEqual([{ provider: "local", file: "m.gguf" }]);
    expect(readFileSync(settingsPath(dir), "utf8")).toBe("garbage");
    const fresh = loadSettingsOrDefaults(tempDir(), []);
    expect(fresh.source).toBe("defaults");
    expect(fresh.problem).toBeUndefined();
  });

  it("keeps an unreadable file as settings.json.bad-<n> when saving over it", () => {
    const dir = tempDir();
    writeFileSync(settingsPath(dir), "first bad");
    const first = saveSettings(dir, sample());
    expect(first.keptBadFile).toBe(`${settingsPath(dir)}.bad-1`);
    expect(readFileSync(first.keptBadFile!, "utf8")).toBe("first bad");
    writeFileSync(settingsPath(dir), JSON.stringify({ version: 9 }));
    expect(saveSettings(dir, sample()).keptBadFile).toBe(`${settingsPath(dir)}.bad-2`);
    expect(loadSettings(dir)).toEqual(sample());
    // A good file is simply replaced.
    expect(saveSettings(dir, defaultSettings([])).keptBadFile).toBeUndefined();
    expect(existsSync(`${settingsPath(dir)}.bad-3`)).toBe(false);
  });

  it("refuses to save settings holding a secret", () => {
    const dir = tempDir();
    const bad = { ...sample(), budgets: { dailyUsd: 1, token: "x" } } as unknown as AppSettings;
    expect(() => saveSettings(dir, bad)).toThrow(SettingsError);
    expect(existsSync(settingsPath(dir))).toBe(false);
  });
});

describe("defaults", () => {
  it("puts every slot on the first suitable GGUF file", () => {
    const settings = defaultSettings(["README.md", ".hidden.gguf", "big-00002-of-00003.gguf", "big-00001-of-00003.gguf", "small.gguf"]);
    for (const slot of ["main", "cot", "utility"] as const) expect(settings.slots[slot]).toEqual([{ provider: "local", file: "big-00001-of-00003.gguf" }]);
  });

  it("is offline without model files", () => {
    expect(defaultSettings(["notes.txt"]).slots).toEqual({ main: [], cot: [], utility: [] });
  });

  it("knows a suitable model file", () => {
    expect(isSuitableModelFile("Model.GGUF")).toBe(true);
    expect(isSuitableModelFile("m.gguf.part")).toBe(false);
    expect(isSuitableModelFile("m-00010-of-00012.gguf")).toBe(false);
  });
});

describe("dataDir", () => {
  it("follows TALEWEAVE_DATA_DIR, else the repository's .taleweave-data", () => {
    expect(dataDir({ TALEWEAVE_DATA_DIR: "/tmp/tw-data" })).toBe("/tmp/tw-data");
    expect(dataDir({ TALEWEAVE_DATA_DIR: "rel" })).toBe(resolve("rel"));
    expect(dataDir({})).toBe(resolve(__dirname, "../../.taleweave-data"));
  });
});

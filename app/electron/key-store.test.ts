import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KeyStore } from "../../engine/api/service.js";
import { KeyStoreUnavailableError, SafeStorageKeyStore, type SafeStorageLike } from "./key-store.js";

/** safeStorage as the OS keychain would behave: real encryption under a key the file never sees. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { secret: Buffer } {
  const secret = randomBytes(32);
  const backend = options.backend;
  return {
    secret,
    isEncryptionAvailable: () => options.available ?? true,
    ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      const body = Buffer.concat([cipher.update(plainText, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv("aes-256-gcm", secret, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}

const KEY = "sk-or-v1-0123456789abcdef-secret";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "taleweave-keys-"));
  file = path.join(dir, "keys.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("SafeStorageKeyStore", () => {
  it("is a KeyStore for GameService", () => {
    const store: KeyStore = new SafeStorageKeyStore(file, fakeSafeStorage());
    expect(store.get("GEMINI_API_KEY")).toBeUndefined();
  });

  it("round-trips keys, each under its own name, across instances", () => {
    const safeStorage = fakeSafeStorage();
    const store = new SafeStorageKeyStore(file, safeStorage);
    store.set("OPENROUTER_API_KEY", KEY);
    store.set("GEMINI_API_KEY", "gemini-key");
    expect(store.get("OPENROUTER_API_KEY")).toBe(KEY);
    const reopened = new SafeStorageKeyStore(file, safeStorage);
    expect(reopened.get("OPENROUTER_API_KEY")).toBe(KEY);
    expect(reopened.get("GEMINI_API_KEY")).toBe("gemini-key");
    expect(reopened.get("OPENAI_COMPATIBLE_API_KEY")).toBeUndefined();
  });

  it("never writes a key in plain text", () => {
    new SafeStorageKeyStore(file, fakeSafeStorage()).set("OPENROUTER_API_KEY", KEY);
    const bytes = readFileSync(file);
    const forms = [KEY, "0123456789abcdef", Buffer.from(KEY).toString("base64"), Buffer.from(KEY).toString("hex")].map((text) => Buffer.from(text));
    for (const form of [...forms, Buffer.from(KEY, "utf16le")]) expect(bytes.includes(form), form.toString()).toBe(false);
    expect(bytes.toString("utf8")).toContain("OPENROUTER_API_KEY");
  });

  it("keeps the file readable by its owner only", () => {
    if (process.platform === "win32") return;
    new SafeStorageKeyStore(file, fakeSafeStorage()).set("GEMINI_API_KEY", KEY);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it("refuses to store when encryption is unavailable, and writes nothing", () => {
    const store = new SafeStorageKeyStore(file, fakeSafeStorage({ available: false }));
    expect(() => store.set("OPENROUTER_API_KEY", KEY)).toThrow(KeyStoreUnavailableError);
    expect(() => store.set("OPENROUTER_API_KEY", KEY)).toThrow(/OPENROUTER_API_KEY was not stored: this system has no keychain/);
    expect(existsSync(file)).toBe(false);
  });

  it("refuses Linux's basic_text backend, whose fixed password protects nothing", () => {
    const store = new SafeStorageKeyStore(file, fakeSafeStorage({ backend: "basic_text" }));
    expect(() => store.set("GEMINI_API_KEY", KEY)).toThrow(/keychain service/);
    expect(existsSync(file)).toBe(false);
    const withKeyring = new SafeStorageKeyStore(file, fakeSafeStorage({ backend: "gnome_libsecret" }));
    withKeyring.set("GEMINI_API_KEY", KEY);
    expect(withKeyring.get("GEMINI_API_KEY")).toBe(KEY);
  });

  it("reads no keys from a damaged file, and replaces it on the next set", () => {
    const safeStorage = fakeSafeStorage();
    for (const text of ["not json", "[]", JSON.stringify({ version: 2, keys: {} }), JSON.stringify({ version: 1, keys: { "bad name": "AAAA" } })]) {
      writeFileSync(file, text);
      const store = new SafeStorageKeyStore(file, safeStorage);
      expect(store.get("OPENROUTER_API_KEY")).toBeUndefined();
    }
    const store = new SafeStorageKeyStore(file, safeStorage);
    store.set("OPENROUTER_API_KEY", KEY);
    expect(store.get("OPENROUTER_API_KEY")).toBe(KEY);
  });

  it("treats a key it can no longer decrypt as not set", () => {
    new SafeStorageKeyStore(file, fakeSafeStorage()).set("OPENROUTER_API_KEY", KEY);
    // Another user's or another machine's keychain: decryption fails.
    expect(new SafeStorageKeyStore(file, fakeSafeStorage()).get("OPENROUTER_API_KEY")).toBeUndefined();
    // Keychain gone since the key was stored.
    expect(new SafeStorageKeyStore(file, fakeSafeStorage({ available: false })).get("OPENROUTER_API_KEY")).toBeUndefined();
  });
});

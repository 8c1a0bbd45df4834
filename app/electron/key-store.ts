import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * API keys kept by the desktop app, encrypted with Electron's safeStorage (the OS keychain:
 * Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux). The file holds only
 * ciphertext; the plain key exists only in memory. Where no real keychain is available the store
 * refuses to save rather than writing something anyone with the file could read — the player can
 * still set the key in the environment.
 */

/** The part of Electron's safeStorage used here, so tests can pass a fake. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: "basic_text" means a hard-coded password, which protects nothing. */
  getSelectedStorageBackend?(): string;
}

export const KEYS_FILE = "keys.json";

const KeysFile = z.object({
  version: z.literal(1),
  /** Environment-variable name → base64 of the safeStorage ciphertext. */
  keys: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)),
});
type KeysFile = z.infer<typeof KeysFile>;

export class KeyStoreUnavailableError extends Error {
  override readonly name = "KeyStoreUnavailableError";
}

export class SafeStorageKeyStore {
  constructor(
    private readonly file: string,
    private readonly safeStorage: SafeStorageLike,
  ) {}

  /** The stored key, or undefined when none is stored or it can no longer be decrypted. */
  get(env: string): string | undefined {
    const encoded = this.read().keys[env];
    if (encoded === undefined || this.problem() !== undefined) return undefined;
    try {
      return this.safeStorage.decryptString(Buffer.from(encoded, "base64"));
    } catch {
      // Encrypted under another user or keychain: as good as not set, and the player can set it again.
      return undefined;
    }
  }

  set(env: string, key: string): void {
    const problem = this.problem();
    if (problem !== undefined) throw new KeyStoreUnavailableError(`${env} was not stored: ${problem}`);
    const contents = this.read();
    contents.keys[env] = this.safeStorage.encryptString(key).toString("base64");
    this.write(contents);
  }

  /** Why keys cannot be encrypted here, or undefined when they can. */
  private problem(): string | undefined {
    if (!this.safeStorage.isEncryptionAvailable()) return "this system has no keychain to encrypt it with";
    if (this.safeStorage.getSelectedStorageBackend?.() === "basic_text") {
      return "no keychain service (GNOME Keyring or KWallet) is running, and without one the key would be stored under a fixed password anyone can read";
    }
    return undefined;
  }

  /** A missing or damaged file holds no keys; it is replaced whole on the next set. */
  private read(): KeysFile {
    try {
      const parsed = KeysFile.safeParse(JSON.parse(readFileSync(this.file, "utf8")));
      if (parsed.success) return parsed.data;
    } catch {
      // Missing or not JSON: no keys.
    }
    return { version: 1, keys: {} };
  }

  private write(contents: KeysFile): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(contents, null, 2) + "\n", { encoding: "utf8", mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }
}

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { browserCommand, findElectron, hasDisplay } from "./start.js";

describe("findElectron", () => {
  it("is undefined where the binary download was skipped (the electron package throws)", () => {
    const skipped = () => {
      throw new Error("Electron failed to install correctly, please delete node_modules/electron and try installing again");
    };
    expect(findElectron(skipped, () => true)).toBeUndefined();
  });

  it("is undefined when the path it names does not exist or is not a file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "taleweave-electron-"));
    try {
      mkdirSync(path.join(dir, "dist"));
      expect(findElectron(() => path.join(dir, "dist", "electron"))).toBeUndefined();
      expect(findElectron(() => path.join(dir, "dist"))).toBeUndefined();
      writeFileSync(path.join(dir, "dist", "electron"), "");
      expect(findElectron(() => path.join(dir, "dist", "electron"))).toBe(path.join(dir, "dist", "electron"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is undefined when the package exports something other than a path", () => {
    expect(findElectron(() => ({ app: {} }), () => true)).toBeUndefined();
    expect(findElectron(() => "", () => true)).toBeUndefined();
  });

  it("agrees with the installed electron package", () => {
    // On the development machines the binary is skipped, `require("electron")` throws, and npm start runs the web host.
    let expected: string | undefined;
    try {
      expected = String(createRequire(import.meta.url)("electron"));
    } catch {
      expected = undefined;
    }
    expect(findElectron()).toBe(expected);
  });
});

describe("hasDisplay", () => {
  it("is true on macOS and Windows, and on Linux only with X11 or Wayland", () => {
    expect(hasDisplay("darwin", {})).toBe(true);
    expect(hasDisplay("win32", {})).toBe(true);
    expect(hasDisplay("linux", {})).toBe(false);
    expect(hasDisplay("linux", { DISPLAY: "" })).toBe(false);
    expect(hasDisplay("linux", { DISPLAY: ":0" })).toBe(true);
    expect(hasDisplay("linux", { WAYLAND_DISPLAY: "wayland-0" })).toBe(true);
  });
});

describe("browserCommand", () => {
  it("uses each platform's opener", () => {
    const url = "http://127.0.0.1:4000/?token=abc";
    expect(browserCommand("linux", url)).toEqual({ command: "xdg-open", args: [url] });
    expect(browserCommand("darwin", url)).toEqual({ command: "open", args: [url] });
    expect(browserCommand("win32", url)).toEqual({ command: "cmd", args: ["/c", "start", '""', url] });
  });
});

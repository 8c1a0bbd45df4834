import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * DESIGN.md's layering for the renderer: it reaches the engine only through engine/api's index,
 * and never imports Node's modules or Electron, since it runs in a sandboxed page.
 */

const srcDir = dirname(fileURLToPath(import.meta.url));
const apiIndex = resolve(srcDir, "../../engine/api/index.js");
const SPECIFIER = /(?:^|\s)(?:import|export)\s(?:[^"';]*?\sfrom\s)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

function appFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function problems(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? "";
    const where = `${relative(srcDir, file)}: ${specifier}`;
    if (specifier.startsWith(".")) {
      const target = resolve(dirname(file), specifier);
      if (target !== apiIndex && relative(srcDir, target).startsWith("..")) found.push(`${where} (outside renderer/src, and not engine/api's index)`);
    } else if (specifier.startsWith("node:") || builtinModules.includes(specifier) || specifier === "electron" || specifier.startsWith("electron/")) {
      found.push(`${where} (not available in the page)`);
    }
  }
  return found;
}

describe("the renderer's imports", () => {
  it("are its own files, engine/api's index and browser packages only", () => {
    const files = appFiles(srcDir);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(problems)).toEqual([]);
  });

  it("would catch a stray import", () => {
    const fake = join(srcDir, "components", "Stray.tsx");
    const match = (text: string) => [...text.matchAll(SPECIFIER)].map(m => m[1] ?? m[2]);
    expect(match(`import { x } from "../../../engine/game/index.js";\nimport fs from "node:fs";\nconst m = import("electron");`)).toEqual(["../../../engine/game/index.js", "node:fs", "electron"]);
    expect(relative(srcDir, resolve(dirname(fake), "../../../engine/game/index.js")).startsWith("..")).toBe(true);
  });
});

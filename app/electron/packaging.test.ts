import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mainBuildOptions, MAIN_ENTRY, preloadBuildOptions, PRELOAD_ENTRY, REPO_ROOT } from "./build.js";

/**
 * The bundled main process must still find the files the engine reads beside its modules. The
 * probe (fixtures/bundle-probe.ts) is bundled with main's exact options and run with plain Node
 * — the Electron binary is not available here — and the data files the bundle refers to are
 * checked against what electron-builder.yml ships.
 */

const run = promisify(execFile);
const PROBE = path.join(REPO_ROOT, "app", "electron", "fixtures", "bundle-probe.ts");

let outdir: string;
beforeAll(() => {
  // Inside the repository, two levels down like dist/electron: the bundle resolves npm packages
  // from node_modules above it and finds the engine's files at the same relative place.
  mkdirSync(path.join(REPO_ROOT, "dist"), { recursive: true });
  outdir = mkdtempSync(path.join(REPO_ROOT, "dist", "packaging-test-"));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

async function runProbe(bundle: string): Promise<{ worldId: string; promptChars: number; started: { ok: boolean }; turn: { ok: boolean; result?: { type: string } } }> {
  const probeDir = path.join(outdir, "probe-data");
  const { stdout } = await run(process.execPath, [bundle], { env: { ...process.env, PROBE_DIR: probeDir }, cwd: outdir });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
}

describe("the bundled main process", () => {
  it("loads the built-in world and the prompts, and plays a turn", async () => {
    const bundle = path.join(outdir, "probe.mjs");
    await build(mainBuildOptions(PROBE, bundle));
    const result = await runProbe(bundle);
    expect(result.worldId).toBe("greyhollow");
    expect(result.promptChars).toBeGreaterThan(200);
    expect(result.started.ok).toBe(true);
    expect(result.turn).toMatchObject({ ok: true, result: { type: "turn" } });
  });

  it("would not without the module-URL rewrite (the control: bundling alone breaks the paths)", async () => {
    const bundle = path.join(outdir, "probe-plain.mjs");
    await build({ ...mainBuildOptions(PROBE, bundle), plugins: [] });
    await expect(runProbe(bundle)).rejects.toThrow(/ENOENT/);
  });

  describe("against electron-builder.yml", () => {
    let metafile: Metafile;
    beforeAll(async () => {
      metafile = (await build(mainBuildOptions(MAIN_ENTRY, path.join(outdir, "main.mjs")))).metafile;
    });

    /** Every prompt file a bundled module loads beside itself, as a repository path. */
    function promptFiles(): string[] {
      const files: string[] = [];
      for (const input of Object.keys(metafile.inputs)) {
        const source = readFileSync(path.join(REPO_ROOT, input), "utf8");
        for (const match of source.matchAll(/PromptTemplate\.load\(import\.meta\.url,\s*"([^"]+)"\)/g)) {
          files.push(path.posix.join(path.posix.dirname(input), match[1]!));
        }
      }
      return files;
    }

    it("bundles the engine, with npm packages left to node_modules", () => {
      const inputs = Object.keys(metafile.inputs);
      expect(inputs).toEqual(expect.arrayContaining(["engine/api/service.ts", "engine/worlds/load.ts", "engine/story/prompt-template.ts"]));
      expect(inputs.some((input) => input.startsWith("node_modules/"))).toBe(false);
    });

    it("ships every prompt file the bundle loads, and the built-in world", () => {
      const yml = readFileSync(path.join(REPO_ROOT, "electron-builder.yml"), "utf8");
      const patterns = [...yml.matchAll(/^\s+- "?([^"\n#]+?)"?\s*$/gm)].map((match) => match[1]!);
      expect(patterns).toEqual(expect.arrayContaining([
        "dist/electron/main.mjs",
        "dist/electron/preload.cjs",
        "renderer/dist/**",
        "engine/**/*.txt",
        "engine/**/*.json",
        "!engine/**/fixtures/**",
        "models/catalog.json",
      ]));
      const prompts = promptFiles();
      expect(prompts.length).toBeGreaterThan(20);
      for (const file of [...prompts, "engine/worlds/greyhollow/world.json", "models/catalog.json"]) {
        expect(existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
        // Covered by the engine/**/*.txt|json patterns and not excluded as a fixture (or the catalog itself).
        expect(file === "models/catalog.json" || (/^engine\/.+\.(txt|json)$/.test(file) && !file.split("/").includes("fixtures")), file).toBe(true);
      }
    });
  });
});

describe("the preload bundle", () => {
  it("is one CommonJS file that requires nothing but electron", async () => {
    const outfile = path.join(outdir, "preload.cjs");
    await build(preloadBuildOptions(PRELOAD_ENTRY, outfile));
    const code = readFileSync(outfile, "utf8");
    const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]));
    expect([...required]).toEqual(["electron"]);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toContain("import.meta");
  });
});

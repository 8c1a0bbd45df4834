import { readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";

/**
 * Builds what Electron runs — it does not run TypeScript:
 * - dist/electron/main.mjs: the main process and the whole engine in one ES module. npm
 *   packages stay external (node_modules ships beside it), above all the native ones,
 *   better-sqlite3 and node-llama-cpp, which cannot be bundled.
 * - dist/electron/preload.cjs: one self-contained CommonJS file, since a sandboxed preload can
 *   require nothing but "electron".
 * and the renderer (renderer/dist) with Vite.
 *
 * The engine finds its prompt files and the built-in world beside its own modules, through
 * `import.meta.url`. Bundled, every module would share the bundle's URL, and folders that hold
 * files of the same name (understand/ and judge/ both have prompt.txt) would collide. So each
 * module's `import.meta.url` is rewritten to the URL of its source file, computed relative to the
 * bundle: the data files are then read where they are in the repository, and in the packaged
 * app, which keeps the same layout (electron-builder.yml ships them).
 */

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const ELECTRON_OUT_DIR = path.join(REPO_ROOT, "dist", "electron");
export const MAIN_ENTRY = path.join(REPO_ROOT, "app", "electron", "main.ts");
export const PRELOAD_ENTRY = path.join(REPO_ROOT, "app", "electron", "preload.ts");
export const RENDERER_DIR = path.join(REPO_ROOT, "renderer");
export const RENDERER_INDEX = path.join(RENDERER_DIR, "dist", "index.html");

/**
 * Gives each bundled module (other than `entries`, whose import.meta.url must stay the bundle's
 * so they can find files beside the bundle) a module URL pointing at its own source file.
 */
export function moduleUrlPlugin(outdir: string, entries: readonly string[]): Plugin {
  const skip = new Set(entries.map((entry) => path.resolve(entry)));
  return {
    name: "taleweave-module-url",
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (skip.has(path.resolve(args.path)) || args.path.split(path.sep).includes("node_modules")) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        const fromBundle = path.relative(outdir, args.path).split(path.sep).join("/");
        const moduleUrl = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: source.replaceAll("import.meta.url", moduleUrl), loader: "ts" };
      });
    },
  };
}

/** The main-process bundle's options; the packaging test builds a probe with these too. */
export function mainBuildOptions(entry: string, outfile: string): BuildOptions & { metafile: true; write: true } {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [moduleUrlPlugin(path.dirname(outfile), [entry])],
    metafile: true,
    write: true,
    logLevel: "warning",
  };
}

export function preloadBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    // "browser": a Node built-in creeping into the preload fails the build instead of the sandbox.
    platform: "browser",
    format: "cjs",
    target: "es2022",
    external: ["electron"],
    // It is parsed on every page load, and most of it is zod.
    minify: true,
    logLevel: "warning",
  };
}

export async function buildElectron(outdir: string = ELECTRON_OUT_DIR): Promise<Metafile> {
  const [main] = await Promise.all([
    build(mainBuildOptions(MAIN_ENTRY, path.join(outdir, "main.mjs"))),
    build(preloadBuildOptions(PRELOAD_ENTRY, path.join(outdir, "preload.cjs"))),
  ]);
  return main.metafile;
}

export async function buildRenderer(): Promise<void> {
  // Loaded only when needed: Vite is large, and most runs find the renderer already built.
  const vite = await import("vite");
  await vite.build({ configFile: path.join(RENDERER_DIR, "vite.config.ts"), logLevel: "warn" });
}

function newestMtime(file: string): number {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(file)) {
    if (name === "node_modules" || name === "dist") continue;
    newest = Math.max(newest, newestMtime(path.join(file, name)));
  }
  return newest;
}

/** Whether renderer/dist is missing or older than the renderer's sources or the protocol it imports. */
export function rendererNeedsBuild(): boolean {
  const built = statSync(RENDERER_INDEX, { throwIfNoEntry: false });
  if (built === undefined) return true;
  const sources = [path.join(RENDERER_DIR, "src"), path.join(RENDERER_DIR, "index.html"), path.join(RENDERER_DIR, "vite.config.ts"), path.join(REPO_ROOT, "engine", "api")];
  return sources.some((source) => newestMtime(source) > built.mtimeMs);
}

// Run as `tsx app/electron/build.ts` (npm run dist); imported by the launcher and tests, it only defines.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRenderer();
  await buildElectron();
  console.log(`built ${path.relative(REPO_ROOT, RENDERER_INDEX)} and ${path.relative(REPO_ROOT, ELECTRON_OUT_DIR)}/{main.mjs,preload.cjs}`);
}

import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildElectron, buildRenderer, ELECTRON_OUT_DIR, RENDERER_DIR, rendererNeedsBuild } from "./electron/build.js";
import { startWebHost } from "./web/index.js";

/**
 * `npm start`: the desktop window where Electron is installed, and otherwise the web host, with
 * its address printed (and opened in a browser where there is a display). `npm install` skips the
 * Electron binary on machines that cannot download it (ELECTRON_SKIP_BINARY_DOWNLOAD=1), so
 * `npm install && npm start` must work, and play, without it.
 */

const USAGE = `Usage: npm start -- [options]
  --desktop    the desktop window; fails if the Electron binary is not installed
  --web        the web host, even where Electron is installed
  --port N     the web host's port on 127.0.0.1 (default: any free port)
  --offline    no models: the engine parses and narrates alone
  --no-open    do not open a browser
  --help       this text

npm run desktop is npm start -- --desktop, rebuilding the interface first.
Saves, settings and models move with TALEWEAVE_SAVES_DIR, TALEWEAVE_DATA_DIR and TALEWEAVE_MODELS_DIR.`;

/**
 * The Electron executable, or undefined where it is not installed. From Node, the electron
 * package exports the binary's path — but it throws when the download was skipped (there is no
 * path.txt), and a path can also point at a binary that was since deleted.
 */
export function findElectron(
  requireElectron: () => unknown = () => createRequire(import.meta.url)("electron"),
  isFile: (file: string) => boolean = (file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
): string | undefined {
  let exported: unknown;
  try {
    exported = requireElectron();
  } catch {
    return undefined;
  }
  return typeof exported === "string" && exported !== "" && isFile(exported) ? exported : undefined;
}

/** Whether a browser window could appear: always on macOS and Windows, on Linux only under X11 or Wayland. */
export function hasDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === "darwin" || platform === "win32") return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The command that opens `url` in the default browser. */
export function browserCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === "darwin") return { command: "open", args: [url] };
  // `start`'s first quoted argument is a window title, hence the empty one.
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""', url] };
  return { command: "xdg-open", args: [url] };
}

function openBrowser(url: string): void {
  const { command, args } = browserCommand(process.platform, url);
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true, windowsVerbatimArguments: process.platform === "win32" });
    // No browser opener installed, or it failed: the printed address is enough.
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // As above: opening a browser is a convenience.
  }
}

/** Resolves at the first SIGINT or SIGTERM; a second one falls through to Node's default, exiting at once. */
function interrupted(onSignal: (signal: NodeJS.Signals) => void = () => undefined): Promise<void> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      onSignal(signal);
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

async function runDesktop(electron: string, options: { offline: boolean; rebuild: boolean }): Promise<number> {
  if (options.rebuild || rendererNeedsBuild()) {
    console.log("Building the interface…");
    await buildRenderer();
  }
  // Seconds at most, so always: a stale main process is a confusing bug to chase.
  await buildElectron();
  const env = { ...process.env };
  // Set in some shells and CI; it would make the binary a plain Node and the window never open.
  delete env.ELECTRON_RUN_AS_NODE;
  const child: ChildProcess = spawn(electron, [path.join(ELECTRON_OUT_DIR, "main.mjs"), ...(options.offline ? ["--offline"] : [])], { stdio: "inherit", env });
  const exited = new Promise<number>((done, fail) => {
    child.once("error", fail);
    child.once("exit", (code, signal) => done(code ?? (signal === null ? 0 : 1)));
  });
  // Ctrl-C in the terminal reaches Electron too; a SIGTERM sent to this launcher alone is passed on.
  // Either way the launcher waits for Electron, which closes the game before it exits.
  void interrupted((signal) => {
    if (signal === "SIGTERM") child.kill("SIGTERM");
  });
  return exited;
}

async function runWeb(options: { port: number; offline: boolean; open: boolean }): Promise<number> {
  if (rendererNeedsBuild()) {
    console.log("Building the interface…");
    await buildRenderer();
  }
  const host = await startWebHost({ port: options.port, offline: options.offline, rendererDir: path.join(RENDERER_DIR, "dist") });
  console.log(`Taleweave is running. Open this address in a browser (it holds this launch's key):\n\n  ${host.url}\n\nPress Ctrl-C to stop.`);
  if (options.open && hasDisplay(process.platform, process.env)) openBrowser(host.url);
  await interrupted();
  console.log("Stopping…");
  await host.close();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        desktop: { type: "boolean", default: false },
        web: { type: "boolean", default: false },
        port: { type: "string" },
        offline: { type: "boolean", default: false },
        "no-open": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.desktop && values.web) {
    console.error("Choose --desktop or --web, not both.");
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port takes a port number from 0 to 65535, not "${values.port}".`);
    return 2;
  }

  const electron = values.web ? undefined : findElectron();
  if (electron !== undefined) return runDesktop(electron, { offline: values.offline, rebuild: values.desktop });
  if (values.desktop) {
    console.error(
      "The Electron binary is not installed, so the desktop window cannot open (npm install skips it\n" +
        "under ELECTRON_SKIP_BINARY_DOWNLOAD=1, and package.json does not let electron's install script\n" +
        "run). Where the network allows, fetch it with: node node_modules/electron/install.js\n" +
        "Or run npm start to play in a browser.",
    );
    return 1;
  }
  return runWeb({ port, offline: values.offline, open: !values["no-open"] });
}

// Run as `tsx app/start.ts`; imported by its tests, it only defines.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(`taleweave: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

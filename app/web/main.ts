import { parseArgs } from "node:util";
import { startWebHost } from "./server.js";

/**
 * `npm run web [-- --port N] [--offline]`: the game in a browser. Prints the address to open,
 * token included; Ctrl-C stops the host, cancelling a turn in progress (the save stays as it was).
 */

const USAGE = `Usage: npm run web -- [--port N] [--offline]

  --port N     listen on 127.0.0.1:N (default: any free port)
  --offline    no models: the engine parses and narrates alone

Saves, settings and models move with TALEWEAVE_SAVES_DIR, TALEWEAVE_DATA_DIR and TALEWEAVE_MODELS_DIR.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        offline: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port takes a port number from 0 to 65535, not "${values.port}".\n`);
    return 2;
  }

  const host = await startWebHost({ port, offline: values.offline });
  process.stdout.write(`Taleweave is running. Open this address in a browser (it holds this launch's key):\n\n  ${host.url}\n\nPress Ctrl-C to stop.\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // A second Ctrl-C while closing falls through to Node's default: exit at once.
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write("Stopping…\n");
  await host.close();
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`taleweave: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

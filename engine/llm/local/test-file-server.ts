import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 serving one file, for download tests: `/<name>` answers HEAD
 * and GET with byte ranges, as a model host does; `/slow/<name>` sends the headers and a first
 * chunk, then holds the rest until `release()`, so a test can act while a download is under way.
 * Anything else is a 404. No test reaches past 127.0.0.1.
 */

export interface TestFileServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** `<method> <path>` of every request, in order. */
  readonly requests: readonly string[];
  /** Lets the `/slow/` responses held so far finish. */
  release(): void;
  close(): Promise<void>;
}

/** How much of the file a `/slow/` response sends before it waits. */
export const SLOW_FIRST_CHUNK = 64 * 1024;

export async function serveFile(name: string, bytes: Buffer): Promise<TestFileServer> {
  const requests: string[] = [];
  const held = new Set<() => void>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const slow = req.url === `/slow/${name}`;
    if (req.url !== `/${name}` && !slow) {
      res.writeHead(404).end("not here");
      return;
    }
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    const start = range === null ? 0 : Number(range[1]);
    const end = range === null || range[2] === "" ? bytes.length - 1 : Number(range[2]);
    res.writeHead(range === null ? 200 : 206, {
      "content-type": "application/octet-stream",
      "content-length": end - start + 1,
      "accept-ranges": "bytes",
      ...(range === null ? {} : { "content-range": `bytes ${start}-${end}/${bytes.length}` }),
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const body = bytes.subarray(start, end + 1);
    if (!slow) {
      res.end(body);
      return;
    }
    res.write(body.subarray(0, SLOW_FIRST_CHUNK));
    const finish = (): void => {
      held.delete(finish);
      if (!res.destroyed) res.end(body.subarray(SLOW_FIRST_CHUNK));
    };
    held.add(finish);
    res.on("close", () => held.delete(finish));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    release: () => {
      for (const finish of [...held]) finish();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on: a connection to it is refused. */
export async function closedPort(): Promise<number> {
  const spare = http.createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  const port = (spare.address() as AddressInfo).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
  return port;
}

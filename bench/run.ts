import { parseArgs } from "node:util";
import { benchTurns } from "./turns.js";
import { benchRouter } from "./router.js";
import { benchLocal } from "./local.js";
import { benchReplay } from "./replay.js";

/**
 * `npm run bench [-- --only turns,router,local,replay]`: every benchmark in one run, printed as one JSON
 * document. Each figure is measured against a baseline taken in the same run where one exists.
 */

const BENCHES = {
  turns: () => benchTurns(),
  router: () => benchRouter(),
  local: () => benchLocal(),
  replay: () => benchReplay(),
} as const;
type BenchName = keyof typeof BENCHES;

const { values } = parseArgs({ options: { only: { type: "string" } } });
const names = (values.only?.split(",") ?? Object.keys(BENCHES)) as BenchName[];
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(", ")} (have: ${Object.keys(BENCHES).join(", ")})\n`);
  process.exit(2);
}

const results: Record<string, unknown> = {};
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`);
  try {
    results[name] = await BENCHES[name]();
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}
console.log(JSON.stringify({ machine: { cpus: (await import("node:os")).availableParallelism(), node: process.version }, ...results }, null, 2));

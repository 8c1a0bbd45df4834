import { createInterface } from "node:readline/promises";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBuiltInWorld, loadWorldFile } from "../../engine/worlds/index.js";
import { SaveStore } from "../../engine/store/index.js";
import { GameSession, type SubmitOutcome } from "../../engine/session/index.js";
import { ModelHost } from "../../engine/llm/index.js";
import { dataDir, modelsDir, savesDir } from "./paths.js";
import { style } from "./style.js";

/**
 * Terminal play. Interactive on a TTY (readline, history, colour); with --script it reads one
 * command per line from a file, and with --transcript jsonl it prints one JSON object per turn
 * instead of prose — the form tests and benchmarks consume.
 */

const USAGE = `Usage: npm run play -- [options]
  --save NAME         play the save NAME (continued if it exists, else started)
  --from-turn N       with --save and --save-as: go back to the game as it was after turn N of
                      the save, and play on from there in a new save (the original is kept as it is)
  --save-as NAME      the new save that --from-turn plays on in
  --seed N            the random seed of a new game (default: from the clock)
  --world PATH        a world-pack JSON file (default: the built-in world)
  --script FILE       read commands from FILE, one per line ('#' lines are skipped)
  --transcript jsonl  print one JSON object per turn instead of prose
  --offline           no models: the engine parses and narrates alone
  --help              this text`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      save: { type: "string" },
      "from-turn": { type: "string" },
      "save-as": { type: "string" },
      seed: { type: "string" },
      world: { type: "string" },
      script: { type: "string" },
      transcript: { type: "string" },
      offline: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.transcript !== undefined && values.transcript !== "jsonl") {
    throw new UsageError(`--transcript takes "jsonl", not "${values.transcript}".`);
  }
  const seed = values.seed === undefined ? Date.now() % 0x7fffffff : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}".`);

  const rewind = rewindOptions(values["from-turn"], values["save-as"], values.save);

  const world = values.world ? loadWorldFile(values.world) : loadBuiltInWorld();
  const store = new SaveStore(savesDir());
  const name = values.save ?? freeName(store, world.id);
  const exists = store.list().some((s) => s.name === name);
  if (rewind !== undefined && !exists) throw new Error(`there is no save called "${name}" to go back in`);
  const host = values.offline ? undefined : await ModelHost.open({ dataDir: dataDir(), modelsDir: modelsDir() });
  if (host?.settingsProblem) process.stderr.write(`taleweave: ${host.settingsProblem.message}; using default settings\n`);
  const options = host ? { runner: host.router } : {};
  const session = rewind !== undefined
    ? GameSession.rewind(world, store, name, rewind.turn, rewind.saveAs, options)
    : exists ? GameSession.resume(world, store, name, options) : GameSession.start(world, store, name, seed, options);
  const jsonl = values.transcript === "jsonl";
  const out = (text: string) => process.stdout.write(text + "\n");

  try {
    if (values.script !== undefined) {
      const lines = readFileSync(values.script, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
      if (!jsonl) out(exists ? session.opening() : `${world.intro}\n\n${session.opening()}`);
      for (const line of lines) {
        const outcome = await session.submit(line);
        report(outcome, jsonl, out, false);
        if (outcome.type === "meta" && outcome.command === "quit") break;
      }
      return 0;
    }
    return await interactive(session, world.intro, exists, jsonl, out);
  } finally {
    session.close();
    await host?.close();
  }
}

async function interactive(session: GameSession, intro: string, resumed: boolean, jsonl: boolean, out: (t: string) => void): Promise<number> {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, historySize: 200 });
  if (!jsonl) {
    out(style.title(resumed ? `Continuing "${session.saveName}".` : intro));
    out("");
    out(session.opening());
  }
  try {
    for (;;) {
      let line: string;
      try {
        line = await rl.question(tty ? style.prompt("\n> ") : "");
      } catch {
        return 0; // stdin closed (Ctrl-D or end of a pipe)
      }
      const outcome = await playStreaming(session, line, tty && !jsonl);
      report(outcome, jsonl, out, tty);
      if (outcome.type === "meta" && outcome.command === "quit") return 0;
      if (!session.state.player.alive && !jsonl) out(style.dim("You are dead. Type 'undo' to take back your last move, or 'load' to load a save."));
    }
  } finally {
    rl.close();
  }
}

/**
 * One turn with the narration printed as it streams in; Ctrl-C cancels the turn (the game stays
 * as it was) instead of quitting. Returns the outcome with `streamed` telling the caller the text
 * is already on screen.
 */
async function playStreaming(session: GameSession, line: string, stream: boolean): Promise<SubmitOutcome & { streamed?: boolean }> {
  if (!stream) return session.submit(line);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once("SIGINT", cancel);
  let printed = false;
  const stop = session.on((event) => {
    if (event.type === "narration-delta") {
      process.stdout.write(event.text);
      printed = true;
    } else if (event.type === "narration-reset" && printed) {
      process.stdout.write(style.dim("\n[the storyteller lost the thread — again:]\n"));
    }
  });
  try {
    const outcome = await session.submit(line, { signal: controller.signal });
    if (printed) process.stdout.write("\n");
    return { ...outcome, streamed: printed };
  } finally {
    stop();
    process.off("SIGINT", cancel);
  }
}

function report(outcome: SubmitOutcome & { streamed?: boolean }, jsonl: boolean, out: (t: string) => void, colour: boolean): void {
  if (jsonl) {
    if (outcome.type === "turn") out(JSON.stringify(outcome.summary));
    else if (outcome.type === "meta") out(JSON.stringify({ meta: outcome.command, ok: outcome.ok, message: outcome.message }));
    else out(JSON.stringify({ cancelled: outcome.turn }));
    return;
  }
  if (outcome.type === "turn") {
    if (!outcome.streamed) out(outcome.summary.narration);
  } else if (outcome.type === "meta") {
    out(colour ? style.dim(outcome.message) : outcome.message);
  } else {
    out(style.dim("(Turn cancelled: nothing happened.)"));
  }
}

/** --from-turn N and --save-as NAME, checked together; undefined when neither is given. */
function rewindOptions(turn: string | undefined, saveAs: string | undefined, save: string | undefined): { turn: number; saveAs: string } | undefined {
  if (turn === undefined) {
    if (saveAs !== undefined) throw new UsageError("--save-as goes with --from-turn N: it names the new save that plays on from turn N.");
    return undefined;
  }
  if (save === undefined || saveAs === undefined) throw new UsageError("--from-turn needs --save (the save to go back in) and --save-as (the new save to play on in).");
  const n = Number(turn);
  if (!/^\d+$/.test(turn) || !Number.isSafeInteger(n)) throw new UsageError(`--from-turn must be a turn number (0 or more), not "${turn}".`);
  return { turn: n, saveAs };
}

function freeName(store: SaveStore, worldId: string): string {
  const taken = new Set(store.list().map((s) => s.name));
  for (let n = 1; ; n++) if (!taken.has(`${worldId}-${n}`)) return `${worldId}-${n}`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`taleweave: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

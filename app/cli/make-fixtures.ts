import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { RouterResult, Slot, TaskRequest } from "../../engine/llm/index.js";
import { GameSession } from "../../engine/session/index.js";
import { SaveStore } from "../../engine/store/index.js";
import type { TaskRunner } from "../../engine/story/index.js";
import { builtInWalkthroughPath, loadBuiltInWorld } from "../../engine/worlds/index.js";
import type { CliIo } from "./io.js";

/**
 * `npm run fixtures`: writes the saves in saves/fixtures/ that `npm test` replays, by playing
 * scripted sessions. Run it after an intended change to the game or its prompts, check the
 * replays still fail only where the change says they should (`npm run replay` on the old
 * fixture first), and commit the new files. See saves/fixtures/README.md.
 */

export interface FixtureScript {
  readonly name: string;
  readonly seed: number;
  /** Played with FixtureRunner standing in for the models; otherwise offline, as `--offline` plays. */
  readonly models: boolean;
  readonly inputs: () => string[];
}

export const FIXTURES_DIR = resolve(fileURLToPath(new URL("../../saves/fixtures", import.meta.url)));

/** The walkthrough's commands: it completes both quests of the built-in world with seed 7. */
function walkthrough(): string[] {
  return readFileSync(builtInWalkthroughPath(), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** From the chapel yard after the walkthrough (about 20:30): the evening in the village. */
const EVENING: readonly string[] = [
  // The inn after 18:00: the stranger is invented on the way in (the first proposal is refused, then repaired).
  "s", "e", "look", "talk to tamsin", "ask tamsin about rumours", "ask tamsin about causeway",
  // Hob judges what is said to him: the first is rude (a yes), the second is not.
  "say Hob, you are a fat useless fool", "say Thank you for the room, Hob", "ask hob about wine",
  // Words the parser cannot read go to the model; "xyzzy plugh" means nothing to either.
  "I lean on the bar and ask Hob about the room", "xyzzy plugh", "wait", "again", "take", "", "inventory", "w",
  // Mara judges kindness.
  "se", "say I am so sorry about Aldric, Mara. He was a brave man.", "talk to mara", "ask mara about locket", "nw",
  // The mill's side room was invented when the walkthrough first saw the mill.
  "I make my way over to the smithy", "talk to brenna", "ask brenna about blade", "w", "n", "look", "search",
  "examine sacks", "s", "e", "e",
];

/** One round of the village by night; three of them carry the game past 200 turns and twenty summaries. */
const ROUND: readonly string[] = [
  "n", "look", "w", "search", "e", "s", "e", "talk to hob", "ask tamsin about rumours", "w",
  "se", "talk to mara", "nw", "w", "w", "n", "look", "s", "e", "e", "wait 30",
];

/** Back to the inn for the night. */
const NIGHT: readonly string[] = [
  "e", "ask tamsin about causeway", "say Goodnight, Tamsin, and safe travels", "inventory", "wait 1 hour", "look", "u", "search", "d", "w",
];

export const FIXTURES: readonly FixtureScript[] = [
  {
    name: "greyhollow-story",
    seed: 7,
    models: true,
    inputs: () => [...walkthrough(), ...EVENING, ...ROUND, ...ROUND, ...ROUND, ...NIGHT],
  },
  {
    name: "greyhollow-offline",
    seed: 7,
    models: false,
    inputs: () => [...walkthrough().slice(0, 30), "xyzzy", "take", "", "wait 2 hours", "again", "inventory"],
  },
];

/**
 * Answers every task the story layer asks, deterministically and sensibly, as a small obedient
 * model would: intents for the free-text lines above, verdicts from the player's words, valid
 * content proposals (the first NPC proposal breaks a rule on purpose, so the repair is recorded),
 * narration, dialogue and summaries. About one narration in seven fails as a model would, so
 * offline answers and the engine's fallback narration are in the record too.
 */
export class FixtureRunner implements TaskRunner {
  async run(task: TaskRequest): Promise<RouterResult> {
    const last = task.messages.at(-1)?.content ?? "";
    switch (task.type) {
      case "intent-parsing":
        return json(task, "utility", INTENTS[playerWords(last)] ?? { verb: "none" });
      case "rule-judging":
        return json(task, "cot", verdict(last));
      case "content-generation":
        return json(task, task.complexity === "critical" ? "cot" : "main", proposal(task));
      case "summarization":
        return text(task, "utility", `The player has walked Greyhollow from the causeway to the barrow and back; this summary folds in ${count(last, /^Turn /gm)} more turns (${hash(last)}).`);
      case "dialogue":
        return text(task, "main", `'Mind the fog on your way,' comes the answer, low and careful. (${hash(last)})`);
      case "location-description":
        return text(task, "utility", `Damp stone, old timber and the smell of the fen. (${hash(last)})`);
      case "narration": {
        const h = hash(last);
        if (Number.parseInt(h, 16) % 7 === 0) {
          return { ok: false, offline: true, aborted: false, slot: "main", complexity: task.complexity ?? "routine", errors: [{ model: "local:fixture.gguf", kind: "server", message: "the scripted model failed", skipped: false }] };
        }
        return text(task, task.complexity === "routine" ? "utility" : "main", `${NARRATION[Number.parseInt(h, 16) % NARRATION.length]} (${h})`);
      }
    }
  }
}

const INTENTS: Readonly<Record<string, Record<string, string>>> = {
  "I lean on the bar and ask Hob about the room": { verb: "talk", target: "hob", topic: "room" },
  "I make my way over to the smithy": { verb: "go", direction: "west" },
};

const NARRATION = [
  "Fog curls along the ground, and somewhere a shutter knocks.",
  "The lanterns of Greyhollow burn low and yellow.",
  "Your footsteps sound too loud in the quiet.",
  "The fen breathes cold against your neck.",
  "Somewhere a dog barks once, then thinks better of it.",
];

function verdict(prompt: string): { verdict: boolean; reason: string } {
  const question = /^Question: (.*)$/m.exec(prompt)?.[1] ?? "";
  const words = playerWords(prompt).toLowerCase();
  if (/rude|insult/i.test(question) && /fool|idiot|useless|stupid/.test(words)) return { verdict: true, reason: "The player insulted Hob to his face." };
  if (/kindness|sympathy/i.test(question) && /sorry|brave|grieve/.test(words)) return { verdict: true, reason: "The player spoke gently of Aldric." };
  return { verdict: false, reason: "Nothing in the player's words says so." };
}

function proposal(task: TaskRequest): unknown {
  const properties = Object.keys((task.jsonSchema?.["properties"] ?? {}) as Record<string, unknown>);
  const repairing = task.messages.length > 2;
  if (properties.includes("personality")) {
    return {
      name: "Tamsin",
      description: "A pedlar in a salt-stained coat, warming her hands at the fire with her pack at her feet.",
      personality: "Wry, watchful and glad of company, though she keeps one eye on the door.",
      greeting: "Sit, if you like. The fog out there has teeth tonight.",
      topics: [
        { topic: "rumours", answer: "They say the causeway floods twice a year now, and the dead walk on the nights it does." },
        { topic: "causeway", answer: "I came over it at dusk. Never again after dark, I swear it." },
      ],
      // Out of bounds on purpose the first time (strangers are never devoted): the repair is recorded.
      disposition: repairing ? 15 : 95,
      hp: 12,
      attack: 2,
      defense: 1,
    };
  }
  if (properties.includes("features")) {
    return {
      name: "The Sack Room",
      description: "A low side room of the mill, dusty and half fallen in, stacked with rotten grain sacks.",
      features: [{ name: "sacks", description: "Grain sacks gone grey with mould; something has nested in them." }],
    };
  }
  if (properties.includes("stages")) {
    return { name: "The Pedlar's Errand", description: "Tamsin wants a word carried over the causeway.", stages: ["Hear her out.", "Cross the causeway.", "Bring back word."] };
  }
  return { name: "Tarnished Button", description: "A brass button stamped with a heron.", kind: "treasure", text: "" };
}

/** The player's words as the prompts quote them. */
function playerWords(prompt: string): string {
  return /<<<PLAYER\n([\s\S]*?)\nPLAYER>>>/.exec(prompt)?.[1] ?? "";
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** FNV-1a of the prompt, in hex: the same prompt always gets the same answer. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

function text(task: TaskRequest, slot: Slot, answer: string, parsed?: unknown): RouterResult {
  // Streamed in pieces, as a model streams, so narration's stream filter sees real deltas.
  for (const piece of answer.match(/[\s\S]{1,16}/g) ?? []) task.onToken?.(piece);
  return {
    ok: true,
    text: answer,
    ...(parsed === undefined ? {} : { json: parsed }),
    slot,
    complexity: task.complexity ?? "routine",
    provider: "local",
    model: "fixture-script",
    usage: { inputTokens: Math.ceil(task.messages.reduce((n, m) => n + m.content.length, 0) / 4), outputTokens: Math.ceil(answer.length / 4) },
    costUsd: 0,
    latencyMs: 0,
    totalMs: 0,
    cached: false,
    attempts: 1,
    errors: [],
  };
}

function json(task: TaskRequest, slot: Slot, value: unknown): RouterResult {
  return text(task, slot, JSON.stringify(value), value);
}

/** Plays `script` in a scratch directory and writes the save to `dir/<name>.sqlite`, replacing any old one. */
export async function makeFixture(script: FixtureScript, dir: string): Promise<string> {
  const world = loadBuiltInWorld();
  const scratch = mkdtempSync(join(tmpdir(), "taleweave-fixture-"));
  try {
    const store = new SaveStore(scratch);
    const session = GameSession.start(world, store, script.name, script.seed, script.models ? { runner: new FixtureRunner() } : {});
    try {
      for (const input of script.inputs()) {
        const outcome = await session.submit(input);
        if (outcome.type !== "turn") throw new Error(`${script.name}: "${input}" is not a turn (${outcome.type})`);
      }
    } finally {
      session.close();
    }
    // VACUUM INTO writes one compact file with no -wal or -shm beside it, ready to commit; it is
    // written beside the target and renamed over it, so a failed run leaves the old fixture whole.
    mkdirSync(dir, { recursive: true });
    const target = join(dir, `${script.name}.sqlite`);
    const partial = join(dir, `.${script.name}.partial`);
    rmSync(partial, { force: true });
    const save = store.open(script.name);
    try {
      save.copyTo(partial);
    } finally {
      save.close();
    }
    for (const suffix of ["-wal", "-shm"]) rmSync(target + suffix, { force: true });
    renameSync(partial, target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function runFixturesCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { out?: string; only?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { out: { type: "string" }, only: { type: "string" } } }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\nUsage: npm run fixtures -- [--out DIR] [--only NAME,NAME]\n`);
    return 2;
  }
  const names = values.only?.split(",");
  const chosen = FIXTURES.filter((f) => names === undefined || names.includes(f.name));
  if (names !== undefined && chosen.length !== names.length) {
    io.stderr.write(`unknown fixture in --only (have: ${FIXTURES.map((f) => f.name).join(", ")})\n`);
    return 2;
  }
  const dir = values.out === undefined ? FIXTURES_DIR : resolve(values.out);
  for (const script of chosen) {
    const file = await makeFixture(script, dir);
    io.stdout.write(`${file}\n`);
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await runFixturesCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

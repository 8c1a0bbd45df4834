import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { ModelHost, SLOTS, modelName, type ModelSpec, type Slot, type SlotTest } from "../../engine/llm/index.js";
import { dataDir, modelsDir } from "./paths.js";
import type { CliIo } from "./io.js";

/** `npm run slots -- show|test [slot]`: what each model slot is bound to, and a live call to each. */

const USAGE = `Usage: npm run slots -- <command> [slot] [--json]

  show         each slot's chain of models (primary first), with file and key status, and the routes
  test [slot]  a short call to every slot (or one), with latency and a sample of the answer
  usage        calls, tokens, cost and latency per slot and model, from the usage ledger

Settings live in TALEWEAVE_DATA_DIR (else .taleweave-data/); models in TALEWEAVE_MODELS_DIR (else models/).`;

const KEY_ENV: Readonly<Record<Exclude<ModelSpec["provider"], "local" | "openai-compatible">, string>> = {
  openrouter: "OPENROUTER_API_KEY",
  gemini: "GEMINI_API_KEY",
};

export async function runSlotsCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } } });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const [command, slotArg, ...extra] = parsed.positionals;
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const slot = slotArg as Slot | undefined;
  if ((command !== "show" && command !== "test" && command !== "usage") || extra.length > 0 || (slot !== undefined && (command !== "test" || !SLOTS.includes(slot)))) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }

  const host = await ModelHost.open({ dataDir: dataDir(), modelsDir: modelsDir(), env: io.env, watch: false });
  try {
    if (host.settingsProblem) io.stderr.write(`warning: ${host.settingsProblem.message}; using default settings\n`);
    if (command === "usage") return usage(host, parsed.values.json, out);
    return command === "show" ? show(host, parsed.values.json, out, io.env) : await test(host, slot, parsed.values.json, out);
  } finally {
    await host.close();
  }
}

function status(spec: ModelSpec, modelsFolder: string, env: NodeJS.ProcessEnv): string {
  switch (spec.provider) {
    case "local": {
      const file = isAbsolute(spec.file) ? spec.file : join(modelsFolder, spec.file);
      return existsSync(file) ? "file present" : `file missing: ${file}`;
    }
    case "openai-compatible":
      return `${spec.baseUrl}, key ${env[spec.apiKeyEnv] ? "set" : "not set"} (${spec.apiKeyEnv})`;
    default: {
      const name = KEY_ENV[spec.provider];
      return `key ${env[name] ? "set" : "not set"} (${name})`;
    }
  }
}

function show(host: ModelHost, json: boolean, out: (t: string) => void, env: NodeJS.ProcessEnv): number {
  const slots = SLOTS.map((slot) => ({
    slot,
    chain: host.settings.slots[slot].map((spec) => ({ model: modelName(spec), status: status(spec, host.modelsDir, env) })),
  }));
  if (json) {
    out(JSON.stringify({ slots, routes: host.settings.routes, budgets: host.settings.budgets }, null, 2));
    return 0;
  }
  for (const { slot, chain } of slots) {
    out(`${slot}:`);
    if (chain.length === 0) out("  (no model: the engine narrates)");
    chain.forEach((m, i) => out(`  ${i + 1}. ${m.model} — ${m.status}`));
    out("  then offline");
  }
  return 0;
}

async function test(host: ModelHost, only: Slot | undefined, json: boolean, out: (t: string) => void): Promise<number> {
  const results: SlotTest[] = [];
  for (const slot of only ? [only] : SLOTS) results.push(await host.testSlot(slot));
  if (json) out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) {
      if (r.ok) out(`${r.slot}: ${r.model} answered in ${r.latencyMs} ms — "${r.sample}"`);
      else out(`${r.slot}: no model answered (${r.errors.join("; ") || "no model configured"}) — the engine narrates`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

function usage(host: ModelHost, json: boolean, out: (t: string) => void): number {
  const report = host.usage();
  if (json) {
    out(JSON.stringify(report, null, 2));
    return 0;
  }
  const ms = (v: number | undefined) => (v === undefined ? "-" : `${Math.round(v)} ms`);
  out(`${report.requests} tasks; ${report.turnsNeedingModel} turns needed a model to understand the player.`);
  for (const s of report.bySlot) {
    out(`${s.slot}: ${s.calls} calls, ${s.inputTokens}+${s.outputTokens} tokens, $${s.costUsd.toFixed(4)}, p50 ${ms(s.latencyP50Ms)}, p95 ${ms(s.latencyP95Ms)}`);
  }
  for (const m of report.byModel) out(`  ${m.provider}:${m.model}: ${m.calls} calls, $${m.costUsd.toFixed(4)}`);
  const allMain = report.allMain.costUsd;
  out(`Cost $${report.allMain.actualCostUsd.toFixed(4)}; all on the main slot's ${report.allMain.model ?? "(none)"}: ${allMain === undefined ? "unknown price" : `$${allMain.toFixed(4)}`}.`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await runSlotsCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

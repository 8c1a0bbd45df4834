import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Router } from "./router.js";
import type { Slot } from "./model-spec.js";
import { Ledger, LEDGER_FILE } from "./ledger.js";
import { loadSettingsOrDefaults, parseSettings, saveSettings, settingsPath, type AppSettings, type SettingsError } from "./settings.js";
import { usageReport, type UsageReport } from "./usage-report.js";
import { LocalModels, createProviderFactory } from "./providers/index.js";
import { scanModels, watchModels, type ModelFileInfo, type ModelsChange } from "./local/models-folder.js";

/**
 * Everything a host (terminal, desktop, web) needs from the model layer, wired once: settings
 * from the data directory (or defaults from the models folder), the usage ledger, local models,
 * the router, and a watch on the models folder so modders can swap files without a restart.
 */

export interface ModelHostOptions {
  readonly dataDir: string;
  readonly modelsDir: string;
  /** Where API keys come from; never stored. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Watch the models folder for added, removed and replaced files (default true). */
  readonly watch?: boolean;
  /** Threads for local models whose spec does not set them. */
  readonly threads?: number;
  /** Told after GGUF files were added, removed or replaced (the slots using them reload by themselves). */
  readonly onModelsChange?: (change: ModelsChange) => void;
  /** Told as a local model file loads (progress 0..1), so a host can show a progress bar. */
  readonly onLoadProgress?: (event: { file: string; progress: number }) => void;
}

export type SlotTest =
  | { readonly slot: Slot; readonly ok: true; readonly model: string; readonly latencyMs: number; readonly firstTokenMs?: number; readonly sample: string }
  /** No model answered: each failure or skip, safe to show (secrets removed). */
  | { readonly slot: Slot; readonly ok: false; readonly errors: readonly string[] };

export class ModelHost {
  readonly router: Router;
  readonly ledger: Ledger;
  readonly local: LocalModels;
  readonly modelsDir: string;
  readonly dataDir: string;
  /** Why the settings file was not used, when it was not (corrupt, too new): defaults stand in. */
  readonly settingsProblem: SettingsError | undefined;
  #settings: AppSettings;
  readonly #stopWatching: () => void;

  private constructor(options: ModelHostOptions, settings: AppSettings, problem: SettingsError | undefined) {
    this.dataDir = options.dataDir;
    this.modelsDir = options.modelsDir;
    this.#settings = settings;
    this.settingsProblem = problem;
    this.ledger = Ledger.open(join(options.dataDir, LEDGER_FILE));
    this.local = new LocalModels({
      modelsDir: options.modelsDir,
      ...(options.threads ? { defaultThreads: options.threads } : {}),
      ...(options.onLoadProgress ? { onLoadProgress: options.onLoadProgress } : {}),
    });
    this.router = new Router({
      settings: () => this.#settings,
      createProvider: createProviderFactory(this.local, { env: options.env ?? process.env }),
      ledger: this.ledger,
    });
    this.#stopWatching = options.watch === false
      ? () => undefined
      : watchModels(options.modelsDir, (change) => {
        for (const file of [...change.removed, ...change.changed]) this.local.invalidate(file);
        options.onModelsChange?.(change);
      });
  }

  static async open(options: ModelHostOptions): Promise<ModelHost> {
    mkdirSync(options.dataDir, { recursive: true });
    const files = (await scanModels(options.modelsDir)).filter((m) => !m.problem).map((m) => m.name);
    const { settings, problem } = loadSettingsOrDefaults(options.dataDir, files);
    return new ModelHost(options, settings, problem);
  }

  get settings(): AppSettings {
    return this.#settings;
  }

  /** Validates, saves and applies new settings; the next model call uses them. */
  updateSettings(next: unknown): AppSettings {
    const settings = parseSettings(next, settingsPath(this.dataDir));
    saveSettings(this.dataDir, settings);
    this.#settings = settings;
    return settings;
  }

  /** A short live call to one slot, whatever the routes say: what answered, how fast, and a sample. */
  async testSlot(slot: Slot): Promise<SlotTest> {
    const result = await this.router.run({
      type: "narration",
      slot,
      complexity: "routine",
      temperature: 0,
      maxTokens: 24,
      messages: [
        { role: "system", content: "You are the narrator of a fantasy adventure. Answer in one sentence." },
        { role: "user", content: "Describe a quiet village square at dawn." },
      ],
    });
    if (result.ok) {
      return { slot, ok: true, model: result.model, latencyMs: Math.round(result.latencyMs), ...(result.firstTokenMs === undefined ? {} : { firstTokenMs: result.firstTokenMs }), sample: result.text.slice(0, 200) };
    }
    return { slot, ok: false, errors: result.errors.map((e) => `${e.model}: ${e.message}`) };
  }

  models(): Promise<ModelFileInfo[]> {
    return scanModels(this.modelsDir);
  }

  usage(since?: string): UsageReport {
    this.ledger.flush();
    const mainPrimary = this.#settings.slots.main[0];
    return usageReport(this.ledger.rows(since ? { since } : undefined), { mainPrimary });
  }

  async close(): Promise<void> {
    this.#stopWatching();
    await this.router.dispose();
    await this.local.dispose();
    this.ledger.close();
  }
}

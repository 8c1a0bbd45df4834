import type { CatalogModel, GameView, KeyStatus, ModelFile, Progress, RoutesTable, SaveInfo, Slot, SlotTestResult, UsageView } from "../../../engine/api/index.js";
import type { SettingsDoc } from "../settings/doc.js";
import type { Draft, LogItem } from "./log-items.js";
import type { Notice } from "./notices.js";

export type Screen = "title" | "game" | "saves" | "settings" | "usage";

export interface SettingsState {
  readonly status: "idle" | "loading" | "ready" | "saving" | "unreadable";
  /** As the host last confirmed it. */
  readonly saved: SettingsDoc | undefined;
  /** With the player's unsaved changes. */
  readonly draft: SettingsDoc | undefined;
  /** The engine's routing table before overrides, from the host: settings hold only the overrides. */
  readonly routeDefaults: RoutesTable | undefined;
  readonly keys: KeyStatus;
  /** Why the host could not use its settings file (it runs on defaults meanwhile). */
  readonly problem: string | undefined;
  /** Why the last save was refused, or why the settings could not be read. */
  readonly error: string | undefined;
  readonly savedMessage: string | undefined;
}

export interface SlotTestState {
  readonly running: boolean;
  readonly result?: SlotTestResult;
  readonly error?: string;
}

export interface ModelsState {
  readonly dir: string;
  readonly files: readonly ModelFile[];
}

export interface CatalogState {
  readonly dir: string;
  readonly models: readonly CatalogModel[];
}

export interface AppData {
  readonly screen: Screen;
  readonly view: GameView | undefined;
  readonly log: readonly LogItem[];
  /** The turn being played, while its narration streams in. */
  readonly draft: Draft | undefined;
  /** From game.submit until its answer: no second turn may start. */
  readonly turnPending: boolean;
  /** What the app is waiting for besides a turn ("Opening the save…"), for the status line. */
  readonly working: string | undefined;
  readonly notices: readonly Notice[];
  /** Model loads and downloads under way, one per file. */
  readonly progress: readonly Progress[];
  readonly saves: readonly SaveInfo[] | undefined;
  readonly settings: SettingsState;
  readonly models: ModelsState | undefined;
  /** The recommended models and which are in the models folder or downloading. */
  readonly catalog: CatalogState | undefined;
  readonly slotTests: Readonly<Partial<Record<Slot, SlotTestState>>>;
  readonly usage: UsageView | undefined;
}

export const INITIAL_DATA: AppData = {
  screen: "title",
  view: undefined,
  log: [],
  draft: undefined,
  turnPending: false,
  working: undefined,
  notices: [],
  progress: [],
  saves: undefined,
  settings: { status: "idle", saved: undefined, draft: undefined, routeDefaults: undefined, keys: {}, problem: undefined, error: undefined, savedMessage: undefined },
  models: undefined,
  catalog: undefined,
  slotTests: {},
  usage: undefined,
};

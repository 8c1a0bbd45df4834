import { Complexity, TaskType, type Route, type RoutesTable, type Slot } from "../../../engine/api/index.js";
import type { ModelEntry, Provider, RouteOverrides, SettingsDoc } from "./doc.js";

/**
 * Pure edits of the settings document; the screen applies them to its draft copy. The routing
 * defaults come from the host (settings.get's `routeDefaults`), never from a copy kept here.
 */

export type RouteField = "slot" | "temperature" | "maxTokens";
export type NumberRouteField = "temperature" | "maxTokens";

// ---------------------------------------------------------------------------------------------
// Model chains

export function withChain(doc: SettingsDoc, slot: Slot, chain: ModelEntry[]): SettingsDoc {
  return { ...doc, slots: { ...doc.slots, [slot]: chain } };
}

export function updateModel(doc: SettingsDoc, slot: Slot, index: number, entry: ModelEntry): SettingsDoc {
  return withChain(doc, slot, doc.slots[slot].map((old, i) => (i === index ? entry : old)));
}

export function addModel(doc: SettingsDoc, slot: Slot, entry: ModelEntry): SettingsDoc {
  return withChain(doc, slot, [...doc.slots[slot], entry]);
}

export function removeModel(doc: SettingsDoc, slot: Slot, index: number): SettingsDoc {
  return withChain(doc, slot, doc.slots[slot].filter((_, i) => i !== index));
}

/** Moves a model one place earlier (-1) or later (+1) in the fallback order. */
export function moveModel(doc: SettingsDoc, slot: Slot, index: number, by: -1 | 1): SettingsDoc {
  const chain = [...doc.slots[slot]];
  const to = index + by;
  const moving = chain[index];
  const other = chain[to];
  if (moving === undefined || other === undefined) return doc;
  chain[to] = moving;
  chain[index] = other;
  return withChain(doc, slot, chain);
}

/**
 * The entry under another provider. The host refuses fields a provider does not take, so only
 * the ones both share are carried over.
 */
export function changeProvider(entry: ModelEntry, provider: Provider, defaultFile: string | undefined): ModelEntry {
  if (provider === entry.provider) return entry;
  const shared = entry.contextSize === undefined ? {} : { contextSize: entry.contextSize };
  if (provider === "local") return { provider, file: entry.file ?? defaultFile ?? "", ...shared };
  const cloud = { ...shared, ...(entry.pricing === undefined ? {} : { pricing: entry.pricing }) };
  if (provider === "openai-compatible") return { provider, model: entry.model ?? "", baseUrl: entry.baseUrl ?? "", ...cloud };
  return { provider, model: entry.model ?? "", ...cloud };
}

/** A new entry for the end of a chain: the first model file, or a cloud model to fill in when there is none. */
export function newModel(defaultFile: string | undefined): ModelEntry {
  return defaultFile === undefined ? { provider: "openrouter", model: "" } : { provider: "local", file: defaultFile };
}

/** The entry with a text option set, or removed when `value` is undefined. */
export function withText(entry: ModelEntry, field: "model" | "baseUrl", value: string | undefined): ModelEntry {
  const next: ModelEntry = { ...entry };
  if (value === undefined) delete next[field];
  else next[field] = value;
  return next;
}

/** The entry with a numeric option set, or removed when `value` is undefined (the host's default). */
export function withNumber(entry: ModelEntry, field: "contextSize" | "threads", value: number | undefined): ModelEntry {
  const next: ModelEntry = { ...entry };
  if (value === undefined) delete next[field];
  else next[field] = value;
  return next;
}

// ---------------------------------------------------------------------------------------------
// Routes

/** The defaults with the overrides applied, as the host does: each override replaces single fields of its cell. */
export function resolveRoutes(defaults: RoutesTable, overrides: RouteOverrides): RoutesTable {
  const table = {} as { [T in TaskType]: { [C in Complexity]: Route } };
  for (const task of TaskType.options) {
    const row = {} as { [C in Complexity]: Route };
    for (const complexity of Complexity.options) row[complexity] = { ...defaults[task][complexity], ...overrides[task]?.[complexity] };
    table[task] = row;
  }
  return table;
}

/**
 * Sets one field of one cell. A value equal to the default removes the override rather than
 * storing it, so a later change of the defaults still reaches cells the player did not change.
 */
export function setRouteField<F extends RouteField>(doc: SettingsDoc, defaults: RoutesTable, task: TaskType, complexity: Complexity, field: F, value: Route[F]): SettingsDoc {
  const cell: Partial<Route> = { ...doc.routes[task]?.[complexity] };
  if (defaults[task][complexity][field] === value) delete cell[field];
  else cell[field] = value;

  const row = { ...doc.routes[task] };
  if (Object.keys(cell).length === 0) delete row[complexity];
  else row[complexity] = cell;

  const routes = { ...doc.routes };
  if (Object.keys(row).length === 0) delete routes[task];
  else routes[task] = row;
  return { ...doc, routes };
}

/** The cells of `table` whose tasks go to `slot`. */
export function cellsOfSlot(table: RoutesTable, slot: Slot): { task: TaskType; complexity: Complexity; route: Route }[] {
  return TaskType.options.flatMap(task => Complexity.options.map(complexity => ({ task, complexity, route: table[task][complexity] }))).filter(cell => cell.route.slot === slot);
}

/** The value every task on `slot` shares, or undefined when they differ (or no task uses the slot). */
export function slotValue(table: RoutesTable, slot: Slot, field: NumberRouteField): number | undefined {
  const values = new Set(cellsOfSlot(table, slot).map(cell => cell.route[field]));
  return values.size === 1 ? [...values][0] : undefined;
}

/** Sets a field on every task that goes to `slot` in `table`: the slot-wide temperature or token limit. */
export function setSlotValue(doc: SettingsDoc, table: RoutesTable, defaults: RoutesTable, slot: Slot, field: NumberRouteField, value: number): SettingsDoc {
  return cellsOfSlot(table, slot).reduce((next, cell) => setRouteField(next, defaults, cell.task, cell.complexity, field, value), doc);
}

// ---------------------------------------------------------------------------------------------
// Budgets

export function setBudget(doc: SettingsDoc, field: "dailyUsd" | "sessionUsd", value: number | undefined): SettingsDoc {
  const budgets = { ...doc.budgets };
  if (value === undefined) delete budgets[field];
  else budgets[field] = value;
  return { ...doc, budgets };
}

import type { Action, ActionKind } from "./actions.js";
import type { GameEvent } from "./events.js";

/**
 * How many game minutes each action takes. Taking stock (look, inventory, help) is free; handling
 * things takes a minute; conversation a little more; walking and searching a room take a while.
 * An action that was refused outright took no time, because nothing happened.
 */
export const ACTION_MINUTES: Readonly<Record<Exclude<ActionKind, "wait">, number>> = {
  go: 5,
  look: 0,
  inventory: 0,
  help: 0,
  examine: 1,
  take: 1,
  drop: 1,
  put: 1,
  open: 1,
  close: 1,
  lock: 1,
  unlock: 1,
  talk: 2,
  say: 1,
  give: 1,
  show: 1,
  attack: 1,
  use: 1,
  eat: 2,
  drink: 1,
  wear: 2,
  remove: 2,
  search: 5,
  manipulate: 1,
  climb: 2,
};

/** Minutes an action took, given the events it produced (before rules and hostile NPCs act). */
export function minutesFor(action: Action, events: readonly GameEvent[]): number {
  if (events.every((e) => e.kind === "refused")) return 0;
  if (action.kind === "wait") return action.minutes;
  // "climb" that finds a way up is a walk.
  if (events.some((e) => e.kind === "moved")) return ACTION_MINUTES.go;
  return ACTION_MINUTES[action.kind];
}

/** The hour of the day, 0–23, of a game clock reading. */
export function hourOf(clock: number): number {
  return Math.floor(clock / 60) % 24;
}

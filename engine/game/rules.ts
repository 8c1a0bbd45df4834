import type { Condition, Placement, Range, RuleAction, VarValue, WorldPack } from "./world.js";
import type { GameState } from "./state.js";
import type { GameEvent } from "./events.js";
import { samePlace } from "./scope.js";
import { hourOf } from "./clock.js";
import { enterLocation, isInside, moveItem, outermost, own, setDisposition, setPlayerHp, type Turn } from "./turn.js";
import { requestContent } from "./content.js";

/**
 * World rules: conditions over the state and this turn's events, and the engine actions they
 * trigger. Rules run after the player's action (and the NPCs' reply to it) and may chain: a rule
 * sees the events of rules that fired before it in the same turn.
 */

/** Answers to `judge` questions, keyed by the question text. A missing answer counts as "no". */
export type Verdicts = Readonly<Record<string, boolean>>;

/** Enough passes for any sensible chain; a world whose rules feed each other forever stops here. */
export const MAX_RULE_PASSES = 20;

function inRange(value: VarValue | undefined, range: Range): boolean {
  if (range.eq !== undefined && value !== range.eq) return false;
  if (range.ne !== undefined && value === range.ne) return false;
  const bounded = range.gt !== undefined || range.gte !== undefined || range.lt !== undefined || range.lte !== undefined;
  if (!bounded) return true;
  if (typeof value !== "number") return false;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}

/** Whether the player has an item, however deep in the things they carry. */
function playerHas(state: GameState, item: string): boolean {
  const at = outermost(state, item);
  return at !== undefined && "player" in at;
}

/**
 * The id inside a structured event field, so that `with: {target: "gate"}` matches
 * `target: {door: "gate"}` and `with: {to: "cellar"}` matches `to: {room: "cellar"}`.
 */
function refId(value: object): string | undefined {
  if ("item" in value && typeof value.item === "string") return value.item;
  if ("npc" in value && typeof value.npc === "string") return value.npc;
  if ("door" in value && typeof value.door === "string") return value.door;
  if ("feature" in value && typeof value.feature === "string") return value.feature;
  if ("room" in value && typeof value.room === "string") return value.room;
  if ("in" in value && typeof value.in === "string") return value.in;
  if ("player" in value) return "player";
  if ("nowhere" in value) return "nowhere";
  return undefined;
}

function fieldMatches(field: unknown, want: VarValue): boolean {
  if (Array.isArray(field)) return field.some((f) => fieldMatches(f, want));
  if (field !== null && typeof field === "object") return refId(field) === want;
  return field === want;
}

/** Whether this turn's events hold one of the kind whose fields match every `with` entry. */
function eventMatches(events: readonly GameEvent[], kind: string, want: Readonly<Record<string, VarValue>> = {}): boolean {
  const entries = Object.entries(want);
  return events.some((e) => {
    if (e.kind !== kind) return false;
    const fields: Readonly<Record<string, unknown>> = e;
    return entries.every(([key, value]) => fieldMatches(fields[key], value));
  });
}

/**
 * Decides a condition. `judge` conditions take their answer from `verdicts`; everything else is
 * read from the state (after this turn's action) and this turn's events.
 */
export function evaluateCondition(
  world: WorldPack,
  state: GameState,
  events: readonly GameEvent[],
  cond: Condition,
  verdicts: Verdicts = {},
): boolean {
  return decide(world, state, events, cond, (q) => verdicts[q] === true) === true;
}

/** Three-valued: `undefined` means "depends on a judge question nobody has answered". */
type Truth = boolean | undefined;

function decide(
  world: WorldPack,
  state: GameState,
  events: readonly GameEvent[],
  cond: Condition,
  judge: (question: string) => Truth,
): Truth {
  if ("all" in cond) {
    let result: Truth = true;
    for (const c of cond.all) {
      const v = decide(world, state, events, c, judge);
      if (v === false) return false;
      if (v === undefined) result = undefined;
    }
    return result;
  }
  if ("any" in cond) {
    let result: Truth = false;
    for (const c of cond.any) {
      const v = decide(world, state, events, c, judge);
      if (v === true) return true;
      if (v === undefined) result = undefined;
    }
    return result;
  }
  if ("not" in cond) {
    const v = decide(world, state, events, cond.not, judge);
    return v === undefined ? undefined : !v;
  }
  if ("judge" in cond) return judge(cond.judge);
  if ("var" in cond) return inRange(own(state.variables, cond.var), cond.is);
  if ("playerAt" in cond) return state.player.location === cond.playerAt;
  if ("has" in cond) return playerHas(state, cond.has);
  if ("itemAt" in cond) {
    const at = own(state.items, cond.itemAt)?.at;
    return at !== undefined && samePlace(at, cond.place);
  }
  if ("quest" in cond) {
    const q = own(state.quests, cond.quest);
    const status = q?.status ?? "inactive";
    if (cond.status !== undefined && status !== cond.status) return false;
    if (cond.stage !== undefined && q?.stage !== cond.stage) return false;
    // A bare `{quest}` asks whether it has begun.
    return cond.status !== undefined || cond.stage !== undefined || q !== undefined;
  }
  if ("turn" in cond) return inRange(state.turn, cond.turn);
  if ("time" in cond) return inRange(state.clock, cond.time);
  if ("hour" in cond) return inRange(hourOf(state.clock), cond.hour);
  if ("disposition" in cond) {
    const npc = own(state.npcs, cond.disposition);
    return npc !== undefined && inRange(npc.disposition, cond.is);
  }
  if ("npcAlive" in cond) return own(state.npcs, cond.npcAlive)?.alive === true;
  if ("npcAt" in cond) return own(state.npcs, cond.npcAt)?.location === cond.location;
  return eventMatches(events, cond.event, cond.with);
}

function collectQuestions(cond: Condition, out: string[]): void {
  if ("all" in cond) for (const c of cond.all) collectQuestions(c, out);
  else if ("any" in cond) for (const c of cond.any) collectQuestions(c, out);
  else if ("not" in cond) collectQuestions(cond.not, out);
  else if ("judge" in cond && !out.includes(cond.judge)) out.push(cond.judge);
}

/**
 * The judge questions whose answers could decide whether a rule fires now: those of rules that
 * may still fire and whose other conditions neither rule them out nor settle them already. Call
 * `step` once without verdicts, pass its resulting state and events here, have a model answer
 * the questions, then call `step` again from the original state with the verdicts.
 */
export function pendingJudgements(world: WorldPack, state: GameState, events: readonly GameEvent[]): string[] {
  const out: string[] = [];
  for (const rule of world.rules) {
    if (rule.once && state.firedRules.includes(rule.id)) continue;
    if (decide(world, state, events, rule.when, () => undefined) !== undefined) continue;
    collectQuestions(rule.when, out);
  }
  return out;
}

function validPlacement(world: WorldPack, state: GameState, item: string, at: Placement): boolean {
  if ("room" in at) return own(world.locations, at.room) !== undefined;
  if ("npc" in at) return own(state.npcs, at.npc) !== undefined;
  if ("in" in at) {
    return at.in !== item && own(world.items, at.in)?.container !== undefined && !isInside(state, at.in, item);
  }
  return true;
}

function applyAction(t: Turn, action: RuleAction): void {
  const { world, state, events } = t;
  if ("setVar" in action) {
    state.variables[action.setVar] = action.value;
    events.push({ kind: "variable-set", name: action.setVar, value: action.value });
  } else if ("incVar" in action) {
    const current = own(state.variables, action.incVar);
    const value = (typeof current === "number" ? current : 0) + action.by;
    state.variables[action.incVar] = value;
    events.push({ kind: "variable-set", name: action.incVar, value });
  } else if ("moveNpc" in action) {
    const npc = own(state.npcs, action.moveNpc);
    if (!npc || !own(world.locations, action.to) || npc.location === action.to) return;
    const from = npc.location;
    npc.location = action.to;
    events.push({ kind: "npc-moved", npc: action.moveNpc, from, to: action.to });
  } else if ("movePlayer" in action) {
    const from = state.player.location;
    if (!own(world.locations, action.movePlayer) || from === action.movePlayer) return;
    events.push({ kind: "player-moved", from, to: action.movePlayer });
    enterLocation(t, action.movePlayer);
  } else if ("giveItem" in action) {
    const item = own(state.items, action.giveItem);
    if (!item) return;
    item.hidden = false;
    moveItem(t, action.giveItem, { player: true });
    events.push({ kind: "item-moved", item: action.giveItem, to: { player: true } });
  } else if ("removeItem" in action) {
    if (!own(state.items, action.removeItem)) return;
    moveItem(t, action.removeItem, { nowhere: true });
    events.push({ kind: "item-moved", item: action.removeItem, to: { nowhere: true } });
  } else if ("placeItem" in action) {
    const item = own(state.items, action.placeItem);
    if (!item || !validPlacement(world, state, action.placeItem, action.at)) return;
    // Elsewhere an item keeps its hidden flag (to be found by searching), but nobody carries what they cannot see.
    if ("player" in action.at) item.hidden = false;
    moveItem(t, action.placeItem, action.at);
    events.push({ kind: "item-moved", item: action.placeItem, to: action.at });
  } else if ("startQuest" in action) {
    const first = own(world.quests, action.startQuest)?.stages[0];
    if (!first || own(state.quests, action.startQuest)) return;
    state.quests[action.startQuest] = { stage: first.id, status: "active" };
    events.push({ kind: "quest-started", quest: action.startQuest, stage: first.id });
  } else if ("advanceQuest" in action) {
    const quest = own(world.quests, action.advanceQuest);
    const current = own(state.quests, action.advanceQuest);
    if (!quest || !quest.stages.some((s) => s.id === action.stage)) return;
    if (current?.status === "completed" || current?.stage === action.stage) return;
    state.quests[action.advanceQuest] = { stage: action.stage, status: "active" };
    events.push({ kind: "quest-advanced", quest: action.advanceQuest, stage: action.stage });
  } else if ("completeQuest" in action) {
    const quest = own(world.quests, action.completeQuest);
    const current = own(state.quests, action.completeQuest);
    const last = quest?.stages[quest.stages.length - 1];
    if (!last || current?.status === "completed") return;
    state.quests[action.completeQuest] = { stage: current?.stage ?? last.id, status: "completed" };
    events.push({ kind: "quest-completed", quest: action.completeQuest });
  } else if ("changeDisposition" in action) {
    const npc = own(state.npcs, action.changeDisposition);
    if (npc) setDisposition(t, action.changeDisposition, npc.disposition + action.by);
  } else if ("message" in action) {
    events.push({ kind: "message", text: action.message });
  } else if ("revealExit" in action) {
    const exit = own(world.locations, action.revealExit)?.exits.find((e) => e.direction === action.direction);
    const key = `${action.revealExit}:${action.direction}`;
    if (!exit || !exit.hidden || state.revealedExits.includes(key)) return;
    state.revealedExits.push(key);
    events.push({ kind: "exit-revealed", location: action.revealExit, direction: action.direction });
  } else if ("unlockDoor" in action) {
    const door = own(state.doors, action.unlockDoor);
    if (!door || !door.locked) return;
    door.locked = false;
    events.push({ kind: "door-unlocked", door: action.unlockDoor });
  } else if ("generate" in action) {
    requestContent(t, action.generate, action.at ?? state.player.location, action.hint);
  } else {
    const player = state.player;
    // The dead stay dead: a healing rule must not raise them.
    if (!player.alive) return;
    const before = player.hp;
    const hp = Math.max(0, Math.min(player.maxHp, before + action.heal));
    events.push({ kind: "healed", amount: hp - before, hp });
    setPlayerHp(t, hp);
  }
}

/**
 * Fires every rule whose condition holds, in world order, pass after pass until a pass fires
 * nothing. A once-only rule fires once per game; any rule fires at most once per turn, so a rule
 * that stays true cannot fire again and again within one turn.
 */
export function runRules(t: Turn, verdicts: Verdicts = {}): void {
  const firedThisTurn = new Set<string>();
  for (let pass = 0; pass < MAX_RULE_PASSES; pass++) {
    let fired = false;
    for (const rule of t.world.rules) {
      if (firedThisTurn.has(rule.id) || (rule.once && t.state.firedRules.includes(rule.id))) continue;
      if (!evaluateCondition(t.world, t.state, t.events, rule.when, verdicts)) continue;
      firedThisTurn.add(rule.id);
      if (rule.once) t.state.firedRules.push(rule.id);
      fired = true;
      t.events.push({ kind: "rule-fired", rule: rule.id });
      for (const action of rule.then) applyAction(t, action);
    }
    if (!fired) return;
  }
}

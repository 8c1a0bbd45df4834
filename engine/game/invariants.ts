import type { WorldPack } from "./world.js";
import type { GameState } from "./state.js";
import { isInside, own } from "./turn.js";

/**
 * What must always be true of a state for a world, beyond its schema: every reference points at
 * something that exists, nothing is inside itself, numbers stay in their ranges. `step` keeps all
 * of these; property tests and save loading check them. An empty list means the state is sound.
 */
export function stateProblems(world: WorldPack, state: GameState): string[] {
  const problems: string[] = [];
  const problem = (text: string): void => {
    problems.push(text);
  };

  if (state.worldId !== world.id) problem(`state is for world "${state.worldId}", not "${world.id}"`);
  if (!Number.isInteger(state.turn) || state.turn < 0) problem(`turn ${state.turn} is not a non-negative integer`);
  if (!Number.isInteger(state.clock) || state.clock < 0) problem(`clock ${state.clock} is not a non-negative integer`);

  const p = state.player;
  if (!own(world.locations, p.location)) problem(`player is in unknown location "${p.location}"`);
  if (p.hp > p.maxHp) problem(`player hp ${p.hp} exceeds max ${p.maxHp}`);
  if (p.alive && p.hp <= 0) problem(`player is alive with hp ${p.hp}`);
  if (!p.alive && p.hp > 0) problem(`player is dead with hp ${p.hp}`);
  for (const slot of ["weapon", "armour"] as const) {
    const id = p.equipment[slot];
    if (id === undefined) continue;
    const at = own(state.items, id)?.at;
    if (!at || !("player" in at)) problem(`${slot} "${id}" is not carried`);
    const def = own(world.items, id);
    if (!def || (slot === "weapon" ? !def.weapon : !def.armour)) problem(`${slot} "${id}" is not a ${slot}`);
  }

  for (const id of Object.keys(world.npcs)) if (!own(state.npcs, id)) problem(`npc "${id}" is missing from the state`);
  for (const [id, npc] of Object.entries(state.npcs)) {
    const def = own(world.npcs, id);
    if (!def) {
      problem(`state has unknown npc "${id}"`);
      continue;
    }
    if (!own(world.locations, npc.location)) problem(`npc "${id}" is in unknown location "${npc.location}"`);
    if (npc.hp > def.hp) problem(`npc "${id}" hp ${npc.hp} exceeds max ${def.hp}`);
    if (npc.alive && npc.hp <= 0) problem(`npc "${id}" is alive with hp ${npc.hp}`);
    if (!Number.isInteger(npc.disposition) || npc.disposition < -100 || npc.disposition > 100) {
      problem(`npc "${id}" disposition ${npc.disposition} is out of range`);
    }
  }

  for (const id of Object.keys(world.items)) if (!own(state.items, id)) problem(`item "${id}" is missing from the state`);
  for (const [id, item] of Object.entries(state.items)) {
    const def = own(world.items, id);
    if (!def) {
      problem(`state has unknown item "${id}"`);
      continue;
    }
    const at = item.at;
    if ("room" in at && !own(world.locations, at.room)) problem(`item "${id}" is in unknown location "${at.room}"`);
    if ("npc" in at && !own(state.npcs, at.npc)) problem(`item "${id}" is held by unknown npc "${at.npc}"`);
    if ("in" in at) {
      if (!own(world.items, at.in)?.container) problem(`item "${id}" is in "${at.in}", which is not a container`);
      if (isInside(state, id, id)) problem(`item "${id}" is inside itself`);
    }
    if (def.container) {
      if (item.closed === undefined || item.locked === undefined) problem(`container "${id}" has no open/locked state`);
      if (item.locked && !item.closed) problem(`container "${id}" is locked but open`);
    }
  }

  for (const door of world.doors) {
    const st = own(state.doors, door.id);
    if (!st) problem(`door "${door.id}" is missing from the state`);
    else if (st.locked && !st.closed) problem(`door "${door.id}" is locked but open`);
  }

  for (const key of state.revealedExits) {
    const [loc = "", dir] = key.split(":");
    if (!own(world.locations, loc)?.exits.some((e) => e.direction === dir)) problem(`revealed exit "${key}" does not exist`);
  }
  for (const [id, q] of Object.entries(state.quests)) {
    const def = own(world.quests, id);
    if (!def) problem(`state has unknown quest "${id}"`);
    else if (!def.stages.some((s) => s.id === q.stage)) problem(`quest "${id}" is at unknown stage "${q.stage}"`);
  }
  for (const loc of state.visited) if (!own(world.locations, loc)) problem(`visited unknown location "${loc}"`);
  for (const rule of state.firedRules) {
    if (!world.rules.some((r) => r.id === rule)) problem(`fired unknown rule "${rule}"`);
  }
  return problems;
}

import type { Direction, WorldPack } from "./world.js";
import type { EntityRef, GameState, Place } from "./state.js";
import type { EventOf, GameEvent } from "./events.js";
import { exitRevealed, itemsAt, nameOf } from "./scope.js";
import { HOSTILE_AT } from "./combat.js";

/**
 * The engine's own narration: every event told from templates, so the game is complete without a
 * model, and a model that fails mid-turn always has something to fall back on. Narration reads
 * the state after the turn but never changes it.
 */


export function narrate(world: WorldPack, state: GameState, events: readonly GameEvent[]): string {
  // A location seen after moving is a revisit, told briefly; seen without moving, it is a "look".
  const moved = events.some((e) => e.kind === "moved" || e.kind === "player-moved");
  const paragraphs: string[] = [];
  let fight: string[] = [];
  const flushFight = (): void => {
    if (fight.length > 0) paragraphs.push(fight.join(" "));
    fight = [];
  };
  for (const event of events) {
    const text = render(world, state, event, moved);
    if (text === "") continue;
    // Blows exchanged in one turn read as one paragraph of fighting, not a column of lines.
    if (event.kind === "attacked") {
      fight.push(text);
      continue;
    }
    flushFight();
    paragraphs.push(text);
  }
  flushFight();
  return paragraphs.join("\n\n");
}

function render(world: WorldPack, state: GameState, event: GameEvent, moved: boolean): string {
  switch (event.kind) {
    case "refused": return event.message;
    case "moved": return event.direction ? `You go ${event.direction}.` : `You make your way to ${placeName(world, event.to)}.`;
    case "location-seen":
      return event.first || !moved ? describeLocation(world, state, event.location) : briefLocation(world, state, event.location);
    case "examined": return examined(world, state, event);
    case "taken":
      return event.from ? `You take ${theItem(world, event.item)} from ${theItem(world, event.from)}.` : `You take ${theItem(world, event.item)}.`;
    case "dropped": return `You drop ${theItem(world, event.item)}.`;
    case "put": return `You put ${theItem(world, event.item)} ${event.preposition} ${theItem(world, event.container)}.`;
    case "opened": return opened(world, state, event);
    case "closed": return `You close ${theRef(world, event.target)}.`;
    case "locked": return `You lock ${theRef(world, event.target)} with ${theItem(world, event.key)}.`;
    case "unlocked": return `You unlock ${theRef(world, event.target)} with ${theItem(world, event.key)}.`;
    case "inventory-listed": return inventoryText(world, state, event);
    case "npc-spoke": return `${capitalize(theNpc(world, event.npc))} says, "${event.line}"`;
    case "player-said":
      return event.npc ? `You say to ${theNpc(world, event.npc)}, "${event.text}"` : `You say, "${event.text}"`;
    case "given":
      return event.accepted
        ? `You give ${theItem(world, event.item)} to ${theNpc(world, event.npc)}.`
        : `You offer ${theItem(world, event.item)} to ${theNpc(world, event.npc)}, who will not take it.`;
    case "shown": return `You show ${theItem(world, event.item)} to ${theNpc(world, event.npc)}.`;
    case "attacked": return attacked(world, state, event);
    case "npc-died": return npcDied(world, event);
    case "player-died": return "You have died. Your story ends here, unless you undo, load a save or restart.";
    case "consumed": return consumed(world, event);
    case "worn":
      return event.slot === "weapon" ? `You wield ${theItem(world, event.item)}.` : `You put on ${theItem(world, event.item)}.`;
    case "removed":
      return event.slot === "weapon" ? `You are no longer wielding ${theItem(world, event.item)}.` : `You take off ${theItem(world, event.item)}.`;
    case "searched": return searched(world, event);
    case "manipulated": return event.text;
    case "used": return event.text;
    case "climbed": return event.text;
    case "waited": return `You wait for ${event.minutes} minute${event.minutes === 1 ? "" : "s"}. It is now ${clockText(state.clock)}.`;
    case "help-shown": return helpText();
    // Variables are the world's private bookkeeping; a rule that wants the player told says so with a message.
    case "variable-set": return "";
    case "npc-moved": return npcMoved(world, state, event);
    case "player-moved": return `You find yourself in ${placeName(world, event.to)}.`;
    case "item-moved": return itemMoved(world, state, event);
    case "quest-started": {
      const quest = world.quests[event.quest];
      return [`New quest: ${quest?.name ?? event.quest}`, quest?.description, stageText(world, event.quest, event.stage)]
        .filter((line) => line !== undefined && line !== "").join("\n");
    }
    case "quest-advanced":
      return [`Quest updated: ${questName(world, event.quest)}`, stageText(world, event.quest, event.stage)]
        .filter((line) => line !== "").join("\n");
    case "quest-completed": return `Quest complete: ${questName(world, event.quest)}.`;
    case "disposition-changed": return dispositionChanged(world, event);
    case "exit-revealed": return revealedExitText(world, state, event);
    case "door-unlocked": return `${capitalize(theRef(world, { door: event.door }))} is now unlocked.`;
    case "healed": return healed(state, event.amount, event.hp);
    case "message": return event.text;
    // Rules are told through their effects; which rule fired is for debuggers and replays.
    case "rule-fired": return "";
    // A request is the world asking; what it got, if anything, is told by `content-added`.
    case "content-requested": return "";
    case "content-added": return contentAdded(world, state, event);
    default: return unreachable(event);
  }
}

/**
 * The compiler proves every kind is handled; at run time an event this code does not know (from a
 * newer save, say) is left untold rather than costing the player the turn.
 */
function unreachable(_event: never): string {
  return "";
}

// ---------------------------------------------------------------- words

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Names written with a capital are proper nouns ("Mara Vell") and take no article. */
function isProper(name: string): boolean {
  const first = name.charAt(0);
  return first !== first.toLowerCase();
}

function the(name: string): string {
  return isProper(name) ? name : `the ${name}`;
}

/** "a key", "an oak chest", "some coins": a name ending in s is plural, unless it ends like "glass", "sarcophagus" or "axis". */
function aName(name: string): string {
  if (isProper(name)) return name;
  if (/s$/.test(name) && !/(ss|us|is)$/.test(name)) return `some ${name}`;
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

function list(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function itemName(world: WorldPack, id: string): string {
  return world.items[id]?.name ?? id;
}

function theItem(world: WorldPack, id: string): string {
  return the(itemName(world, id));
}

function theNpc(world: WorldPack, id: string): string {
  return the(world.npcs[id]?.name ?? id);
}

function theRef(world: WorldPack, ref: EntityRef): string {
  return "feature" in ref ? `the ${ref.feature}` : the(nameOf(world, ref));
}

/** A location's name inside a sentence: "the Chapel Yard" rather than "The Chapel Yard". */
function placeName(world: WorldPack, id: string): string {
  const name = world.locations[id]?.name ?? id;
  return name.startsWith("The ") ? `the ${name.slice(4)}` : name;
}

function questName(world: WorldPack, id: string): string {
  return world.quests[id]?.name ?? id;
}

function stageText(world: WorldPack, quest: string, stage: string): string {
  return world.quests[quest]?.stages.find((s) => s.id === stage)?.description ?? "";
}

function hpText(state: GameState, hp: number): string {
  return `${hp} of ${state.player.maxHp} HP`;
}

/** "4:40 in the afternoon, day 1": the game clock as a player would say it. */
function clockText(clock: number): string {
  const day = Math.floor(clock / 1440) + 1;
  const minutes = clock % 1440;
  const hour = Math.floor(minutes / 60);
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const mm = String(minutes % 60).padStart(2, "0");
  const part = hour < 5 ? "at night" : hour < 12 ? "in the morning" : hour < 17 ? "in the afternoon" : hour < 21 ? "in the evening" : "at night";
  return `${h12}:${mm} ${part}, day ${day}`;
}

function wayText(direction: Direction): string {
  return `a way ${direction}`;
}

// ---------------------------------------------------------------- locations

/** The full description of a location: name, text, then what is here and the ways out. */
export function describeLocation(world: WorldPack, state: GameState, location: string = state.player.location): string {
  const loc = world.locations[location];
  if (!loc) return `You are somewhere the world does not know (${location}).`;
  const details = locationDetails(world, state, location);
  return [`${loc.name}\n${loc.description}`, details].filter((p) => p !== "").join("\n\n");
}

/** A revisit: the name and what is here, without the long description. */
function briefLocation(world: WorldPack, state: GameState, location: string): string {
  const name = world.locations[location]?.name ?? location;
  const details = locationDetails(world, state, location);
  return details === "" ? name : `${name}\n${details}`;
}

function locationDetails(world: WorldPack, state: GameState, location: string): string {
  const lines: string[] = [];
  const here: Place = { room: location };
  const loose = visibleIn(state, here);
  if (loose.length > 0) lines.push(`You can see ${list(loose.map((id) => aName(itemName(world, id))))} here.`);
  for (const id of loose) lines.push(...contentsLines(world, state, id));

  const people = Object.keys(state.npcs).filter((id) => state.npcs[id]?.alive && state.npcs[id]?.location === location);
  const calm = people.filter((id) => (state.npcs[id]?.disposition ?? 0) > HOSTILE_AT);
  const hostile = people.filter((id) => (state.npcs[id]?.disposition ?? 0) <= HOSTILE_AT);
  if (calm.length > 0) lines.push(`${capitalize(list(calm.map((id) => theNpc(world, id))))} ${calm.length === 1 ? "is" : "are"} here.`);
  for (const id of hostile) lines.push(`${capitalize(theNpc(world, id))} is here, and means you harm.`);
  const dead = Object.keys(state.npcs).filter((id) => state.npcs[id]?.alive === false && state.npcs[id]?.location === location);
  for (const id of dead) lines.push(`${capitalize(theNpc(world, id))} lies dead here.`);

  lines.push(exitsLine(world, state, location));
  return lines.join("\n");
}

function visibleIn(state: GameState, place: Place): string[] {
  return itemsAt(state, place).filter((id) => !state.items[id]?.hidden);
}

/** What can be seen in or on a container: always on a surface, inside only when open. */
function visibleContents(world: WorldPack, state: GameState, id: string): string[] | undefined {
  const def = world.items[id]?.container;
  if (!def) return undefined;
  if (!def.surface && state.items[id]?.closed) return undefined;
  return visibleIn(state, { in: id });
}

/** "On the long table: a heel of bread." and, nested, whatever is inside those. */
function contentsLines(world: WorldPack, state: GameState, id: string): string[] {
  const contents = visibleContents(world, state, id);
  if (!contents || contents.length === 0) return [];
  const prep = world.items[id]?.container?.surface ? "On" : "In";
  const lines = [`${prep} ${theItem(world, id)}: ${list(contents.map((c) => aName(itemName(world, c))))}.`];
  for (const c of contents) lines.push(...contentsLines(world, state, c));
  return lines;
}

function exitsLine(world: WorldPack, state: GameState, location: string): string {
  const all = (world.locations[location]?.exits ?? []).filter((e) => exitRevealed(state, location, e));
  // "in" and "out" beside a compass exit to the same place are words players type, not more ways out.
  const exits = all.filter((e) => !((e.direction === "in" || e.direction === "out") && all.some((o) => o !== e && o.to === e.to && o.direction !== "in" && o.direction !== "out")));
  if (exits.length === 0) return "There is no obvious way out.";
  const words = exits.map((e) => {
    const door = e.door ? state.doors[e.door] : undefined;
    if (door?.locked) return `${e.direction} (locked)`;
    if (door?.closed) return `${e.direction} (closed)`;
    return e.direction;
  });
  return `Exits: ${words.join(", ")}.`;
}

// ---------------------------------------------------------------- events

function examined(world: WorldPack, state: GameState, event: EventOf<"examined">): string {
  if (!("item" in event.target)) return event.text;
  const contents = visibleContents(world, state, event.target.item);
  if (!contents) return event.text;
  const surface = world.items[event.target.item]?.container?.surface ?? false;
  if (contents.length === 0) return surface ? event.text : `${event.text} It is empty.`;
  const names = list(contents.map((c) => aName(itemName(world, c))));
  return `${event.text} ${surface ? "On it" : "Inside"} you see ${names}.`;
}

/** What an opened container holds is read from the state after the turn, which is what the player now sees. */
function opened(world: WorldPack, state: GameState, event: EventOf<"opened">): string {
  const opening = `You open ${theRef(world, event.target)}.`;
  if (!("item" in event.target)) return opening;
  const contents = visibleIn(state, { in: event.target.item });
  if (contents.length === 0) return `${opening} It is empty.`;
  return `${opening} Inside you find ${list(contents.map((id) => aName(itemName(world, id))))}.`;
}

function inventoryText(world: WorldPack, state: GameState, event: EventOf<"inventory-listed">): string {
  const health = `You have ${hpText(state, state.player.hp)}.`;
  if (event.items.length === 0) return `You are carrying nothing. ${health}`;
  const names = event.items.map((id) => {
    const name = aName(itemName(world, id));
    if (id === event.weapon) return `${name} (wielded)`;
    if (id === event.armour) return `${name} (worn)`;
    return name;
  });
  return `You are carrying ${list(names)}. ${health}`;
}

function combatant(world: WorldPack, id: string): string {
  return id === "player" ? "you" : theNpc(world, id);
}

function attacked(world: WorldPack, state: GameState, event: EventOf<"attacked">): string {
  const attacker = capitalize(combatant(world, event.attacker));
  const defender = combatant(world, event.defender);
  const byPlayer = event.attacker === "player";
  const withWeapon = event.weapon ? ` with ${theItem(world, event.weapon)}` : "";
  if (!event.hit) return byPlayer ? `You swing at ${defender}${withWeapon}, but miss.` : `${attacker} misses ${defender}.`;
  if (event.damage === 0) {
    return byPlayer ? `You hit ${defender}${withWeapon}, but do no harm.` : `${attacker} hits ${defender}${withWeapon}, but does no harm.`;
  }
  const blow = `${attacker} ${byPlayer ? "hit" : "hits"} ${defender}${withWeapon} for ${event.damage} damage.`;
  return event.defender === "player" ? `${blow} You have ${hpText(state, Math.max(0, event.defenderHp))} left.` : blow;
}

function npcDied(world: WorldPack, event: EventOf<"npc-died">): string {
  const who = capitalize(theNpc(world, event.npc));
  const death = world.npcs[event.npc]?.boss ? `${who} falls, and does not rise again.` : `${who} dies.`;
  if (event.dropped.length === 0) return death;
  const things = list(event.dropped.map((id) => aName(itemName(world, id))));
  return `${death} ${capitalize(things)} ${event.dropped.length === 1 ? "is" : "are"} left lying on the ground.`;
}

function consumed(world: WorldPack, event: EventOf<"consumed">): string {
  const parts = [`You ${event.verb} ${theItem(world, event.item)}.`];
  if (event.message) parts.push(event.message);
  // No running total here: blows later in the same turn change it, and they report it themselves.
  if (event.healed > 0) parts.push(`You recover ${event.healed} HP.`);
  if (event.healed < 0) parts.push(`You lose ${-event.healed} HP.`);
  return parts.join(" ");
}

function searched(world: WorldPack, event: EventOf<"searched">): string {
  const parts: string[] = [];
  if (event.text) parts.push(event.text);
  if (event.found.length > 0) parts.push(`You find ${list(event.found.map((id) => aName(itemName(world, id))))}.`);
  if (event.revealedExits.length > 0) parts.push(`You have found ${list(event.revealedExits.map(wayText))}.`);
  if (parts.length > 0) return parts.join(" ");
  return event.target ? `You search ${theRef(world, event.target)}, but find nothing of interest.` : "You search carefully, but find nothing of interest.";
}

function npcMoved(world: WorldPack, state: GameState, event: EventOf<"npc-moved">): string {
  const who = capitalize(theNpc(world, event.npc));
  const here = state.player.location;
  if (event.to === here) return `${who} arrives.`;
  if (event.from === here) return `${who} leaves for ${placeName(world, event.to)}.`;
  // Out of the player's sight: nothing to tell.
  return "";
}

function itemMoved(world: WorldPack, state: GameState, event: EventOf<"item-moved">): string {
  const item = theItem(world, event.item);
  const to = event.to;
  if ("player" in to) return `You now have ${item}.`;
  if ("room" in to) return to.room === state.player.location ? `${capitalize(item)} is here now.` : `${capitalize(item)} is gone from here.`;
  if ("npc" in to) return `${capitalize(theNpc(world, to.npc))} now has ${item}.`;
  if ("in" in to) return `${capitalize(item)} is now ${world.items[to.in]?.container?.surface ? "on" : "in"} ${theItem(world, to.in)}.`;
  return `${capitalize(item)} is gone.`;
}

function dispositionChanged(world: WorldPack, event: EventOf<"disposition-changed">): string {
  const who = capitalize(theNpc(world, event.npc));
  if (event.to <= HOSTILE_AT && event.from > HOSTILE_AT) return `${who} turns hostile!`;
  // An enemy growing angrier is already told by the fight itself.
  if (event.from <= HOSTILE_AT && event.to <= event.from) return "";
  if (event.to > event.from) return `${who} seems warmer toward you.`;
  if (event.to < event.from) return `${who} seems cooler toward you.`;
  return `${who}'s manner toward you does not change.`;
}

function revealedExitText(world: WorldPack, state: GameState, event: EventOf<"exit-revealed">): string {
  const way = wayText(event.direction);
  if (event.location === state.player.location) return `${capitalize(way)} is revealed.`;
  return `${capitalize(way)} from ${placeName(world, event.location)} now lies open.`;
}

/** New content is told only where the player can see it; elsewhere it waits to be found. */
function contentAdded(world: WorldPack, state: GameState, event: EventOf<"content-added">): string {
  if (event.at !== state.player.location) return "";
  switch (event.content) {
    case "npc": {
      const description = world.npcs[event.id]?.description;
      return [`You notice ${aName(event.name)} here.`, description].filter((part) => part !== undefined).join(" ");
    }
    case "item": return `You notice ${aName(event.name)} here.`;
    case "location": {
      const way = state.content.exits.find((e) => e.exit.to === event.id && e.from === event.at);
      const where = placeName(world, event.id);
      return way ? `You notice a way ${way.exit.direction} that you had not seen before, into ${where}.` : `You notice a way into ${where} that you had not seen before.`;
    }
    // The quest's own `quest-started` event announces it.
    case "quest": return "";
  }
}

function healed(state: GameState, amount: number, hp: number): string {
  if (amount < 0) return `You are hurt, and lose ${-amount} HP (now ${hpText(state, hp)}).`;
  return `You feel better: ${amount} HP restored (now ${hpText(state, hp)}).`;
}

// ---------------------------------------------------------------- help

export function helpText(): string {
  return [
    "You play by typing what you do. Some things to try:",
    "  Moving: north, south, east, west (n, s, e, w), ne, nw, se, sw, up, down, in, out; go to a direction; climb.",
    "  Looking: look (l); examine or x something; read something; search, or search something.",
    "  Things: take or get something (take all, take X from Y); drop; put X in Y or on Y; open and close;",
    "    lock and unlock X with Y; use X, or use X on Y; push, pull or turn something.",
    "  Yourself: inventory (i); wear or wield something; remove it; eat; drink; wait (z).",
    "  People: talk to someone; ask someone about something; tell someone about something; say something;",
    "    give X to someone; show X to someone.",
    "  Fighting: attack someone, or attack someone with a weapon.",
    "  Shortcuts: again (g) repeats your last command; \"it\" means the last thing you named.",
    "  The game: save, load, undo, restart, quit, help.",
  ].join("\n");
}

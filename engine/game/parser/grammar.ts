import type { Action, MetaCommand } from "../actions.js";
import type { Direction } from "../world.js";
import { exitsHere } from "../scope.js";
import { score } from "./lexicon.js";
import { ANY, Ctx, ITEM, NPC, fail, type Slot, type Span } from "./resolve.js";
import { ALL_WORDS, ARTICLES, PRONOUNS, orList, the } from "./text.js";

/**
 * The verbs: what the first word of a command means, and how each verb reads the words after it.
 */

export type Command =
  | { readonly type: "action"; readonly action: Action }
  | { readonly type: "meta"; readonly command: MetaCommand; readonly argument?: string };

type Handler = (ctx: Ctx, rest: Span, verb: string) => Command;

const act = (action: Action): Command => ({ type: "action", action });
const set = (...ws: string[]): ReadonlySet<string> => new Set(ws);
const span = (start: number, end: number): Span => ({ start, end });
const len = (s: Span): number => s.end - s.start;
const after = (s: Span, i: number): Span => span(i + 1, s.end);
const before = (s: Span, i: number): Span => span(s.start, i);
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// Maps, not object literals: player words must never reach Object.prototype ("constructor").
const DIRECTION_WORDS: ReadonlyMap<string, Direction> = new Map<string, Direction>([
  ["n", "north"], ["north", "north"], ["s", "south"], ["south", "south"],
  ["e", "east"], ["east", "east"], ["w", "west"], ["west", "west"],
  ["ne", "northeast"], ["northeast", "northeast"], ["north-east", "northeast"],
  ["nw", "northwest"], ["northwest", "northwest"], ["north-west", "northwest"],
  ["se", "southeast"], ["southeast", "southeast"], ["south-east", "southeast"],
  ["sw", "southwest"], ["southwest", "southwest"], ["south-west", "southwest"],
  ["u", "up"], ["up", "up"], ["upward", "up"], ["upwards", "up"], ["upstairs", "up"],
  ["d", "down"], ["down", "down"], ["downward", "down"], ["downwards", "down"], ["downstairs", "down"],
  ["in", "in"], ["inside", "in"], ["out", "out"], ["outside", "out"],
]);

const INTO = set("in", "into", "inside");
const TOWARD = set("to", "towards", "toward", "through", "thru", "for", "via");
const WITH = set("with", "using");
const ABOUT = set("about", "regarding", "concerning");
const ASK_ABOUT = set("about", "for", "regarding", "concerning");
const AND = set("and", ",", "&");
const EXCEPT = set("but", "except", "excluding", "besides");
const HERE = set("around", "here", "room", "about", "area", "everywhere", "location", "surroundings");
const SELF = set("me", "myself", "self", "inventory", "inv");
const PUT_IN = set("in", "into", "inside", "within");
const PUT_ON = set("on", "onto", "upon", "atop");
const PUT_PREPS = new Set([...PUT_IN, ...PUT_ON]);
const USE_PREPS = set("on", "with", "in", "into", "to", "against", "upon", "at");
const LOOK_IN = set("in", "inside", "into", "through", "on", "upon");
const LOOK_UNDER = set("under", "underneath", "beneath", "below", "behind");
const SEARCH_PREPS = set("in", "inside", "into", "through", "under", "underneath", "beneath", "behind", "below", "on", "around");
const CLIMB_PREPS = set("up", "down", "on", "onto", "over", "into", "in", "to", "through", "upon", "atop", "across");

function find(ctx: Ctx, s: Span, ws: ReadonlySet<string>, from = s.start): number {
  for (let i = from; i < s.end; i++) if (ws.has(ctx.word(i))) return i;
  return -1;
}

function skip(ctx: Ctx, s: Span, ws: ReadonlySet<string>): Span {
  let i = s.start;
  while (i < s.end && ws.has(ctx.word(i))) i++;
  return span(i, s.end);
}

/** The direction named at word i ("n", "north", "north east"), and how many words it took. */
function directionAt(ctx: Ctx, i: number): [Direction, number] | undefined {
  const w = ctx.word(i);
  const next = ctx.word(i + 1);
  if ((w === "north" || w === "south") && (next === "east" || next === "west")) {
    const combined = DIRECTION_WORDS.get(`${w}${next}`);
    if (combined) return [combined, 2];
  }
  const dir = DIRECTION_WORDS.get(w);
  return dir ? [dir, 1] : undefined;
}

const move = (direction: Direction): Command => act({ kind: "go", direction });

function whereTo(ctx: Ctx): string {
  const dirs = exitsHere(ctx.world, ctx.state).map((e) => e.direction);
  return dirs.length > 0 ? `Where do you want to go? You can go ${orList(dirs)}.` : "Where do you want to go?";
}

/** The exit a phrase names, by its door or where it leads; undefined when none does. */
function route(ctx: Ctx, s: Span): Direction | undefined {
  const phrase = ctx.phrase(s);
  const only = phrase.length === 1 ? phrase[0] ?? "" : "";
  const dir = DIRECTION_WORDS.get(only);
  if (dir) return dir;
  const exits = exitsHere(ctx.world, ctx.state);
  const it = ctx.it;
  if (PRONOUNS.has(only)) return it && "door" in it ? exits.find((e) => e.door === it.door)?.direction : undefined;
  let best: typeof exits = [];
  let top = 0;
  for (const e of exits) {
    const door = e.door === undefined ? undefined : ctx.lex.doors.get(e.door);
    const dest = ctx.lex.locations.get(e.to);
    const s = Math.max(door ? score(door, phrase).score : 0, dest ? score(dest, phrase).score : 0);
    if (s > top) {
      top = s;
      best = [e];
    } else if (s === top && s > 0) best.push(e);
  }
  const first = best[0];
  // Two exits to the same place (north and in, both to the tavern) are one answer, not a question.
  if (first && best.some((e) => e.to !== first.to)) {
    return fail(`Which way do you mean: ${orList(best.map((e) => e.direction))}?`);
  }
  return first?.direction;
}

function toward(ctx: Ctx, s: Span): Command {
  const phrase = ctx.phrase(s);
  if (phrase.length === 0) return fail(whereTo(ctx));
  const dir = route(ctx, s);
  if (dir) return move(dir);
  const here = ctx.lex.locations.get(ctx.state.player.location);
  if (here && score(here, phrase).score > 0) return fail(`You are already in ${the(here.name)}.`);
  const thing = ctx.peek(s, ANY)[0];
  if (thing) return fail(`${capital(the(thing.entry.name))} is right here.`);
  return fail(`You can't see any way to get to ${ctx.raw(s)} from here.`);
}

const go: Handler = (ctx, rest) => {
  if (len(rest) === 0) return fail(whereTo(ctx));
  const w = ctx.word(rest.start);
  if (INTO.has(w) && len(rest) > 1) return enter(ctx, after(rest, rest.start), "enter");
  if (w === "out" || w === "outside") return move("out");
  const dir = directionAt(ctx, rest.start);
  if (dir) return move(dir[0]);
  return toward(ctx, TOWARD.has(w) ? after(rest, rest.start) : rest);
};

const enter: Handler = (ctx, rest) => {
  if (ctx.phrase(rest).length === 0) return move("in");
  const dir = route(ctx, rest);
  if (dir) return move(dir);
  // "enter the house" where the house is scenery: the way in is meant.
  if (ctx.peek(rest, ANY).length > 0) return move("in");
  return fail(`You don't see any ${ctx.phrase(rest).join(" ")} here.`);
};

const leave: Handler = (ctx, rest) => {
  const s = skip(ctx, rest, set("through", "via", "by"));
  if (len(s) > 0 && ctx.peek(s, ["door"]).length > 0) {
    const dir = route(ctx, s);
    if (dir) return move(dir);
  }
  return move("out");
};

const get: Handler = (ctx, rest, verb) => {
  const w = ctx.word(rest.start);
  if (INTO.has(w)) return len(rest) > 1 ? enter(ctx, after(rest, rest.start), "enter") : move("in");
  if (w === "out" || w === "outside") return move("out");
  return take(ctx, rest, verb);
};

/** Where "take X from Y" names its source: "from", "out of", "off (of)". */
function sourceAt(ctx: Ctx, s: Span): [number, Span] | undefined {
  for (let i = s.start; i < s.end; i++) {
    const w = ctx.word(i);
    const ofNext = ctx.word(i + 1) === "of";
    if (w === "from") return [i, after(s, i)];
    if (i === s.start) continue;
    if ((w === "out" || w === "off") && ofNext) return [i, span(i + 2, s.end)];
    if (w === "off") return [i, after(s, i)];
  }
  return undefined;
}

function portable(ctx: Ctx, id: string): boolean {
  return ctx.world.items[id]?.portable !== false;
}

/** Items named by a list ("key, sword and coin"), "all", "all but X" or "all the coins". */
function objectList(ctx: Ctx, s: Span, slot: Slot, everything: () => string[], none: string): string[] {
  const head = skip(ctx, s, ARTICLES);
  if (ALL_WORDS.has(ctx.word(head.start))) {
    const ex = find(ctx, s, EXCEPT);
    const tail = span(head.start + 1, ex >= 0 ? ex : s.end);
    if (ex < 0 && ctx.phrase(tail).length > 0) return ctx.resolveItems(tail, slot);
    let ids = everything();
    if (ex >= 0) {
      const excluded = new Set(items(ctx, after(s, ex), slot));
      ids = ids.filter((id) => !excluded.has(id));
    }
    return ids.length > 0 ? ids : fail(none);
  }
  return items(ctx, s, slot);
}

function items(ctx: Ctx, s: Span, slot: Slot): string[] {
  // A name may itself contain "and" ("bread and butter"): read the phrase whole if it names one.
  if (find(ctx, s, AND) < 0 || ctx.peek(s, slot.kinds, slot.within).length > 0) return ctx.resolveItems(s, slot);
  const out: string[] = [];
  let start = s.start;
  for (let i = s.start; i <= s.end; i++) {
    if (i < s.end && !AND.has(ctx.word(i))) continue;
    if (ctx.phrase(span(start, i)).length > 0) {
      for (const id of ctx.resolveItems(span(start, i), slot)) if (!out.includes(id)) out.push(id);
    }
    start = i + 1;
  }
  return out.length > 0 ? out : fail(`What do you want to ${slot.verb}?`);
}

function idsWhere(ctx: Ctx, test: (carried: boolean, inside: string | undefined) => boolean): string[] {
  const out: string[] = [];
  for (const c of ctx.scope()) {
    if ("item" in c.entry.ref && test(c.carried, c.inside)) out.push(c.entry.ref.item);
  }
  return out;
}

const take: Handler = (ctx, rest, verb) => {
  let s = rest;
  const w = ctx.word(s.start);
  if (w === "inventory" || w === "inv") return act({ kind: "inventory" });
  if (w === "off") return remove(ctx, after(s, s.start), "take off");
  if (verb === "pick") {
    if (w === "up") s = after(s, s.start);
    if (len(s) > 1 && ctx.word(s.end - 1) === "up") s = span(s.start, s.end - 1);
  } else if (len(s) > 1 && ctx.word(s.end - 1) === "off") {
    return remove(ctx, span(s.start, s.end - 1), "take off");
  }
  const source = sourceAt(ctx, s);
  let within: string | undefined;
  if (source) {
    const [k, from] = source;
    within = ctx.resolveItem(from, { kinds: ITEM, verb: "take things from" });
    const box = ctx.world.items[within];
    if (box?.container && !box.container.surface && ctx.state.items[within]?.closed) {
      return fail(`${capital(the(box.name))} is closed.`);
    }
    s = before(s, k);
  }
  const box = within;
  const items = objectList(
    ctx, s, { kinds: ITEM, verb: "take", prefer: "room", within: box },
    () => idsWhere(ctx, (carried, inside) => !carried && inside === box).filter((id) => portable(ctx, id)),
    box === undefined ? "There is nothing here to take." : `There is nothing in ${the(ctx.lex.items.get(box)?.name ?? box)} to take.`,
  );
  return act(box === undefined ? { kind: "take", items } : { kind: "take", items, from: box });
};

const drop: Handler = (ctx, rest) => act({
  kind: "drop",
  items: objectList(
    ctx, rest, { kinds: ITEM, verb: "drop", prefer: "carried" },
    () => idsWhere(ctx, (carried) => carried),
    "You aren't carrying anything.",
  ),
});

const put: Handler = (ctx, rest, verb) => {
  const w = ctx.word(rest.start);
  if (w === "on" && verb === "put") return wear(ctx, after(rest, rest.start), "put on");
  if (w === "down") return drop(ctx, after(rest, rest.start), "drop");
  if (len(rest) > 1 && ctx.word(rest.end - 1) === "down") return drop(ctx, span(rest.start, rest.end - 1), "drop");
  const k = find(ctx, rest, PUT_PREPS, rest.start + 1);
  const what = k >= 0 ? before(rest, k) : rest;
  const prep = ctx.word(k);
  let where = after(rest, k);
  if (prep === "in" && ctx.word(k + 1) === "to") where = span(k + 2, rest.end);
  if (prep === "on" && ctx.word(k + 1) === "top" && ctx.word(k + 2) === "of") where = span(k + 3, rest.end);
  if (k >= 0 && PUT_ON.has(prep) && len(where) === 0) return wear(ctx, what, "put on");
  if (find(ctx, what, AND) >= 0) return fail("You can only put one thing at a time.");
  const item = ctx.resolveItem(what, { kinds: ITEM, verb, prefer: "carried" });
  if (k < 0) return fail(`Where do you want to put ${the(ctx.nameOf({ item }))}?`);
  const preposition = PUT_IN.has(prep) ? "in" : "on";
  const container = ctx.resolveItem(where, { kinds: ITEM, verb: `put things ${preposition}` });
  return act({ kind: "put", item, container, preposition });
};

const examine = (ctx: Ctx, s: Span, verb: string): Command => {
  const phrase = ctx.phrase(s);
  if (phrase.length === 1 && SELF.has(phrase[0] ?? "")) return act({ kind: "inventory" });
  const target = skip(ctx, s, verb === "check" ? set("out") : set());
  return act({ kind: "examine", target: ctx.resolve(target, { kinds: ANY, verb }) });
};

const look: Handler = (ctx, rest) => {
  const phrase = ctx.phrase(rest);
  const only = phrase.length === 1 ? phrase[0] ?? "" : "";
  if (phrase.length === 0 || HERE.has(only) || DIRECTION_WORDS.has(only)) return act({ kind: "look" });
  const w = ctx.word(rest.start);
  if (w === "at") return examine(ctx, after(rest, rest.start), "look at");
  if (LOOK_IN.has(w)) return examine(ctx, after(rest, rest.start), `look ${w}`);
  if (LOOK_UNDER.has(w)) return act({ kind: "search", target: ctx.resolve(after(rest, rest.start), { kinds: ANY, verb: `look ${w}` }) });
  if (w === "for") return act({ kind: "search" });
  return examine(ctx, rest, "look at");
};

const open: Handler = (ctx, rest) => {
  if (find(ctx, rest, WITH) >= 0) return unlock(ctx, rest, "unlock");
  return act({ kind: "open", target: ctx.resolve(rest, { kinds: ANY, verb: "open" }) });
};

const close: Handler = (ctx, rest) => act({ kind: "close", target: ctx.resolve(rest, { kinds: ANY, verb: "close" }) });

function lockOrUnlock(kind: "lock" | "unlock"): Handler {
  return (ctx, rest) => {
    const k = find(ctx, rest, WITH);
    // The key first, so the door or chest is what "it" means afterwards.
    const key = k >= 0 ? ctx.resolveItem(after(rest, k), { kinds: ITEM, verb: `${kind} things with`, prefer: "carried" }) : undefined;
    const target = ctx.resolve(k >= 0 ? before(rest, k) : rest, { kinds: ANY, verb: kind });
    return act(key === undefined ? { kind, target } : { kind, target, key });
  };
}
const lock = lockOrUnlock("lock");
const unlock = lockOrUnlock("unlock");

/** The NPC a span names; when it names no one ("talk", "tell me about…"), the one who is here. */
function npcOf(ctx: Ctx, s: Span, insertAt: number, insert: readonly string[], verb: string, lead: string): string {
  const phrase = ctx.phrase(s);
  if (phrase.length === 0 || (phrase.length === 1 && (phrase[0] === "me" || phrase[0] === "us"))) {
    return ctx.impliedNpc(insertAt, insert, lead);
  }
  const ref = ctx.resolve(s, { kinds: NPC, verb });
  return "npc" in ref ? ref.npc : fail(`You can't ${verb} ${the(ctx.nameOf(ref))}.`);
}

function topicOf(ctx: Ctx, s: Span): string | undefined {
  const topic = ctx.phrase(s).join(" ").slice(0, 200);
  return topic || undefined;
}

function talkAction(npc: string, topic: string | undefined): Command {
  return act(topic === undefined ? { kind: "talk", npc } : { kind: "talk", npc, topic });
}

const talk: Handler = (ctx, rest) => {
  const s = skip(ctx, rest, set("to", "with", "at"));
  const k = find(ctx, s, ABOUT);
  const who = k >= 0 ? before(s, k) : s;
  const topic = k >= 0 ? topicOf(ctx, after(s, k)) : undefined;
  return talkAction(npcOf(ctx, who, who.start, [], "talk to", "Who do you want to talk to"), topic);
};

const ask: Handler = (ctx, rest) => {
  const k = find(ctx, rest, ASK_ABOUT);
  const who = k >= 0 ? before(rest, k) : rest;
  const topic = k >= 0 ? topicOf(ctx, after(rest, k)) : undefined;
  return talkAction(npcOf(ctx, who, who.start, [], "talk to", "Who do you want to ask"), topic);
};

function unquote(text: string): string {
  return text.replace(/^["'“”‘’«»\s]+|["'“”‘’«»\s]+$/g, "");
}

const tell: Handler = (ctx, rest) => {
  const k = find(ctx, rest, ABOUT);
  if (k >= 0) {
    const who = before(rest, k);
    return talkAction(npcOf(ctx, who, who.start, [], "talk to", "Who do you want to tell"), topicOf(ctx, after(rest, k)));
  }
  // "tell the guard that the bridge is out": the longest opening that names someone here.
  for (let j = rest.end; j > rest.start; j--) {
    if (ARTICLES.has(ctx.word(j - 1)) || ctx.peek(span(rest.start, j), NPC).length === 0) continue;
    const npc = npcOf(ctx, span(rest.start, j), rest.start, [], "talk to", "Who do you want to tell");
    const text = unquote(ctx.raw(skip(ctx, span(j, rest.end), set("that"))));
    return text ? act({ kind: "say", text, npc }) : talkAction(npc, undefined);
  }
  return fail(len(rest) === 0 ? "Who do you want to tell, and what?" : "There is no one here by that name to tell.");
};

const say: Handler = (ctx, rest) => {
  let npc: string | undefined;
  let words = rest;
  // "say hello to the guard": a trailing "to" followed by someone present.
  for (let k = rest.end - 1; k > rest.start; k--) {
    if (ctx.word(k) !== "to" || ctx.peek(after(rest, k), NPC).length === 0) continue;
    npc = npcOf(ctx, after(rest, k), k + 1, [], "talk to", "Who do you want to say it to");
    words = before(rest, k);
    break;
  }
  const text = unquote(ctx.raw(words)).slice(0, 2000);
  if (!text) return fail("What do you want to say?");
  return act(npc === undefined ? { kind: "say", text } : { kind: "say", text, npc });
};

/** "hello", "thanks", "goodbye guard": said aloud, to someone if they are named. */
const interjection: Handler = (ctx, rest) => {
  if (len(rest) > 0 && ctx.peek(rest, NPC).length > 0) {
    const npc = npcOf(ctx, rest, rest.start, [], "talk to", "Who do you mean");
    return act({ kind: "say", text: ctx.raw(span(0, rest.start)), npc });
  }
  return act({ kind: "say", text: unquote(ctx.raw(span(0, rest.end))) });
};

/** The whole input in quotes: speech. */
function quoted(ctx: Ctx): Command {
  return say(ctx, span(0, ctx.words.length), "say");
}

function giveOrShow(kind: "give" | "show"): Handler {
  return (ctx, rest) => {
    const k = find(ctx, rest, set("to"));
    let what = rest;
    let who: Span | undefined;
    if (k >= 0) {
      what = before(rest, k);
      who = after(rest, k);
    } else {
      // "give the guard the apple": the split where someone is named first and a thing after.
      for (let j = rest.start + 1; j < rest.end; j++) {
        if (ctx.peek(span(rest.start, j), NPC).length > 0 && ctx.peek(span(j, rest.end), ITEM).length > 0) {
          who = span(rest.start, j);
          what = span(j, rest.end);
          break;
        }
      }
    }
    const item = ctx.resolveItem(what, { kinds: ITEM, verb: kind, prefer: "carried" });
    const lead = `Who do you want to ${kind} ${the(ctx.nameOf({ item }))} to`;
    const npc = who
      ? npcOf(ctx, who, who.start, [], `${kind} things to`, lead)
      : ctx.impliedNpc(rest.end, ["to"], lead);
    return act({ kind, item, npc });
  };
}

const attack: Handler = (ctx, rest) => {
  const k = find(ctx, rest, WITH);
  const weapon = k >= 0 ? ctx.resolveItem(after(rest, k), { kinds: ITEM, verb: "attack with", prefer: "carried" }) : undefined;
  const who = k >= 0 ? before(rest, k) : rest;
  const phrase = ctx.phrase(who);
  if (phrase.length === 1 && SELF.has(phrase[0] ?? "")) return fail("You think better of it.");
  const npc = npcOf(ctx, who, who.start, [], "attack", "Who do you want to attack");
  return act(weapon === undefined ? { kind: "attack", npc } : { kind: "attack", npc, weapon });
};

const use: Handler = (ctx, rest) => {
  const k = find(ctx, rest, USE_PREPS, rest.start + 1);
  const item = ctx.resolveItem(k >= 0 ? before(rest, k) : rest, { kinds: ITEM, verb: "use", prefer: "carried" });
  if (k < 0) return act({ kind: "use", item });
  return act({ kind: "use", item, target: ctx.resolve(after(rest, k), { kinds: ANY, verb: "use it on" }) });
};

const eat: Handler = (ctx, rest) => act({ kind: "eat", item: ctx.resolveItem(rest, { kinds: ITEM, verb: "eat", prefer: "carried" }) });

const drink: Handler = (ctx, rest) => act({
  kind: "drink",
  item: ctx.resolveItem(skip(ctx, rest, set("from", "of")), { kinds: ITEM, verb: "drink", prefer: "carried" }),
});

const wear: Handler = (ctx, rest, verb) => act({ kind: "wear", item: ctx.resolveItem(rest, { kinds: ITEM, verb, prefer: "carried" }) });

const remove: Handler = (ctx, rest, verb) => {
  if (find(ctx, rest, set("from")) >= 0) return take(ctx, rest, "take");
  return act({ kind: "remove", item: ctx.resolveItem(rest, { kinds: ITEM, verb, prefer: "carried" }) });
};

const search: Handler = (ctx, rest) => {
  if (ctx.word(rest.start) === "for") return act({ kind: "search" });
  const s = skip(ctx, rest, SEARCH_PREPS);
  const phrase = ctx.phrase(s);
  if (phrase.length === 0 || (phrase.length === 1 && HERE.has(phrase[0] ?? ""))) return act({ kind: "search" });
  const here = ctx.lex.locations.get(ctx.state.player.location);
  if (here && ctx.peek(s, ANY).length === 0 && score(here, phrase).score > 0) return act({ kind: "search" });
  return act({ kind: "search", target: ctx.resolve(s, { kinds: ANY, verb: "search" }) });
};

function manipulate(kind: "push" | "pull" | "turn"): Handler {
  return (ctx, rest, verb) => {
    const w = ctx.word(rest.start);
    if (verb === "move" && (directionAt(ctx, rest.start) || TOWARD.has(w) || INTO.has(w))) return go(ctx, rest, "go");
    // "turn on the lamp", "pull on the rope": the particle adds nothing the engine distinguishes.
    const s = skip(ctx, rest, set("on", "off"));
    return act({ kind: "manipulate", verb: kind, target: ctx.resolve(s, { kinds: ANY, verb }) });
  };
}

const climb: Handler = (ctx, rest) => {
  const s = skip(ctx, rest, CLIMB_PREPS);
  if (ctx.phrase(s).length === 0) return act({ kind: "climb" });
  // "climb up to the loft" names a place, not a thing to climb.
  if (ctx.peek(s, ANY).length === 0) {
    const dir = route(ctx, s);
    if (dir) return move(dir);
  }
  return act({ kind: "climb", target: ctx.resolve(s, { kinds: ANY, verb: "climb" }) });
};

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ["one", 1], ["two", 2], ["three", 3], ["four", 4], ["five", 5], ["six", 6], ["seven", 7], ["eight", 8],
  ["nine", 9], ["ten", 10], ["fifteen", 15], ["twenty", 20], ["thirty", 30], ["forty", 40],
  ["forty-five", 45], ["fifty", 50], ["sixty", 60], ["ninety", 90], ["half", 0.5], ["few", 3], ["couple", 2],
]);
const UNITS: ReadonlyMap<string, number> = new Map([
  ["m", 1], ["min", 1], ["mins", 1], ["minute", 1], ["minutes", 1],
  ["h", 60], ["hr", 60], ["hrs", 60], ["hour", 60], ["hours", 60],
]);

const wait: Handler = (ctx, rest) => {
  let n: number | undefined;
  let per: number | undefined;
  for (const w of ctx.phrase(rest)) {
    const m = /^(\d+)([a-z]*)$/.exec(w);
    if (m && n === undefined) {
      n = Number(m[1]);
      per = UNITS.get(m[2] ?? "");
      continue;
    }
    const word = NUMBER_WORDS.get(w);
    if (word !== undefined && n === undefined) n = word;
    const unit = UNITS.get(w);
    if (unit !== undefined) {
      per = unit;
      break;
    }
  }
  // "wait an hour" has a unit and no number; "wait a while" has neither and waits the default.
  const minutes = n === undefined && per === undefined ? 10 : Math.round((n ?? 1) * (per ?? 1));
  return act({ kind: "wait", minutes: Math.min(600, Math.max(1, minutes)) });
};

function meta(command: MetaCommand): Handler {
  return (ctx, rest) => {
    if (command !== "save" && command !== "load") return { type: "meta", command };
    const argument = unquote(ctx.raw(skip(ctx, rest, set("game", "as", "from", "to")))).slice(0, 100);
    return argument ? { type: "meta", command, argument } : { type: "meta", command };
  };
}

const help: Handler = () => act({ kind: "help" });
const inventory: Handler = () => act({ kind: "inventory" });
const lookAt: Handler = (ctx, rest, verb) => examine(ctx, rest, verb === "x" ? "examine" : verb);
const travel = (direction: Direction): Handler => () => move(direction);

const VERBS: ReadonlyArray<[Handler, string[]]> = [
  [go, ["go", "walk", "run", "head", "travel", "proceed", "crawl", "step", "stroll", "wander", "hike", "jog", "march", "sneak", "creep", "hurry", "ride", "swim"]],
  [enter, ["enter"]],
  [leave, ["exit", "leave", "depart"]],
  [travel("up"), ["ascend"]],
  [travel("down"), ["descend"]],
  [get, ["get"]],
  [take, ["take", "grab", "pick", "collect", "snatch", "steal", "obtain", "acquire", "carry"]],
  [drop, ["drop", "discard", "dump", "ditch"]],
  [put, ["put", "place", "insert", "stuff", "set", "lay", "stick"]],
  [look, ["look", "l", "peer", "gaze", "glance"]],
  [lookAt, ["examine", "x", "inspect", "check", "read", "describe", "study", "observe", "scrutinize", "scrutinise", "view", "ex", "exa"]],
  [open, ["open"]],
  [close, ["close", "shut", "slam"]],
  [lock, ["lock"]],
  [unlock, ["unlock"]],
  [inventory, ["inventory", "inv", "i", "invent", "items", "possessions"]],
  [talk, ["talk", "speak", "chat", "converse", "greet", "hail", "address"]],
  [ask, ["ask", "question", "inquire", "enquire", "query", "consult", "interrogate"]],
  [tell, ["tell", "inform"]],
  [say, ["say", "shout", "yell", "scream", "whisper", "call", "cry", "exclaim", "reply", "answer", "utter", "mutter", "holler"]],
  [interjection, ["hello", "hi", "hey", "greetings", "goodbye", "bye", "farewell", "thanks", "thank", "howdy"]],
  [giveOrShow("give"), ["give", "offer", "hand", "present", "donate"]],
  [giveOrShow("show"), ["show", "display"]],
  [attack, ["attack", "kill", "hit", "fight", "strike", "stab", "slay", "punch", "kick", "murder", "assault", "slash", "bash", "smite", "hack", "battle"]],
  [use, ["use", "apply", "employ", "utilize", "utilise"]],
  [eat, ["eat", "consume", "devour", "munch", "chew", "taste", "nibble"]],
  [drink, ["drink", "quaff", "sip", "swig", "gulp", "imbibe", "chug", "swallow"]],
  [wear, ["wear", "don", "wield", "equip", "brandish"]],
  [remove, ["remove", "unequip", "unwield", "doff", "unwear"]],
  [search, ["search", "rummage", "frisk", "explore"]],
  [manipulate("push"), ["push", "press", "shove", "poke", "prod", "move", "shift", "slide"]],
  [manipulate("pull"), ["pull", "yank", "tug", "drag", "jerk"]],
  [manipulate("turn"), ["turn", "rotate", "twist", "spin", "crank", "wind"]],
  [climb, ["climb", "scale", "clamber", "scramble"]],
  [wait, ["wait", "z", "rest", "sleep", "pause", "linger"]],
  [help, ["help", "commands", "hint", "hints", "verbs", "instructions"]],
  [meta("save"), ["save"]],
  [meta("load"), ["load", "restore"]],
  [meta("undo"), ["undo"]],
  [meta("quit"), ["quit", "q"]],
  [meta("restart"), ["restart"]],
];

const HANDLERS: ReadonlyMap<string, Handler> = new Map(VERBS.flatMap(([h, ws]) => ws.map((w): [string, Handler] => [w, h])));

/** Words that repeat the last command; `parse` handles them, since they need its memory. */
export const AGAIN: ReadonlySet<string> = set("again", "g", "repeat");

const VERB_HELP =
  "look, go north (or n, s, e, w, u, d), examine X, take X, drop X, put X in Y, open X, unlock X with Y, " +
  "talk to X, ask X about Y, give X to Y, attack X, use X on Y, eat X, drink X, wear X, search, " +
  "wait (z), inventory (i), again (g), help, save, load, undo, quit";

/**
 * Words players put before the verb when they write in sentences ("I open the door", "let me
 * look", "please go north"). Read as a verb, "I" would be the inventory command.
 */
const LEAD_IN = set("i", "we", "please", "let", "me", "us", "try", "to", "want", "wanna", "will", "shall", "would", "like", "id", "am", "gonna", "going", "then", "now", "just");

/** Commands that take no object: words after them mean the player said something else. */
const BARE: ReadonlySet<Handler> = new Set([inventory, help]);

export function command(ctx: Ctx): Command {
  if (/^["“«]/.test(ctx.text)) return quoted(ctx);
  let start = 0;
  while (start < ctx.words.length - 1 && LEAD_IN.has(ctx.word(start))) start++;
  const all = span(start, ctx.words.length);
  const verb = ctx.word(start);
  const dir = directionAt(ctx, start);
  if (dir) return move(dir[0]);
  const handler = HANDLERS.get(verb);
  if (handler && BARE.has(handler) && len(all) > 1) return fail(`I understood "${verb}", but not the rest. You can try: ${VERB_HELP}.`);
  if (handler) return handler(ctx, after(all, start), verb);
  const things = ctx.peek(all, ANY);
  const thing = things[0];
  if (thing) {
    const name = things.length === 1 ? thing.entry.name : ctx.phrase(all).join(" ");
    return fail(`What do you want to do with ${the(name)}?`);
  }
  const shown = verb.length > 30 ? `${verb.slice(0, 30)}…` : verb;
  return fail(`I don't know how to "${shown}". You can try: ${VERB_HELP}.`);
}

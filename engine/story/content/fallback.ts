import type { ContentKind, ItemProposal, LocationProposal, NpcProposal, ProposalOf, QuestProposal } from "../../game/index.js";

/**
 * Content for when no model can be used: built from small tables, picked by a hash of the game's
 * seed and the request id. Never Math.random and never the game's own RNG, so a replayed game
 * invents exactly the same things, and inventing does not change any later roll.
 *
 * Each name is two parts (a given name and a trade, an adjective and a room...), so the tables
 * give dozens of distinct names; `fallbackProposal` walks through them from the hashed start,
 * and the caller takes the first one the game accepts (a name may already be taken).
 */

/** FNV-1a, 32 bits: tiny, stable everywhere, and good enough to spread picks. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const GIVEN_NAMES = ["Ada", "Bram", "Corin", "Dell", "Edda", "Fenn", "Gilly", "Hale"] as const;

interface Trade {
  readonly surname: string;
  readonly npc: Omit<NpcProposal, "name">;
}

const TRADES: readonly Trade[] = [
  {
    surname: "Marlow",
    npc: {
      description: "A pedlar in a travel-stained coat, with a pack of odds and ends at their feet.",
      personality: "Talkative and cheerful, always hoping for a sale.",
      greeting: "Well met! Care to see what I carry?",
      topics: [
        { topic: "road", answer: "Long roads and few inns. I keep moving, that's the trick of it." },
        { topic: "news", answer: "Only what everyone whispers: keep to the lit places after dark." },
      ],
      disposition: 20, hp: 10, attack: 1, defense: 1,
    },
  },
  {
    surname: "Thatch",
    npc: {
      description: "A weathered labourer with mud to the knees, resting a moment before going on.",
      personality: "Slow to speak, but honest and kind once they do.",
      greeting: "Evening. Don't mind me, I'm only catching my breath.",
      topics: [
        { topic: "work", answer: "Ditches to dig and walls to mend. There's always more of it." },
        { topic: "weather", answer: "Rain coming. There's always rain coming." },
      ],
      disposition: 10, hp: 14, attack: 2, defense: 2,
    },
  },
  {
    surname: "Quill",
    npc: {
      description: "A thin scholar in ink-spotted sleeves, peering at everything as if to write it down.",
      personality: "Curious, absent-minded and easily delighted.",
      greeting: "Oh! A visitor. Have you seen anything unusual today?",
      topics: [
        { topic: "books", answer: "I carry three, and I have read each of them twice." },
        { topic: "history", answer: "Every old stone here has a story, if you ask it nicely." },
      ],
      disposition: 25, hp: 8, attack: 0, defense: 1,
    },
  },
  {
    surname: "Ashby",
    npc: {
      description: "A watchful traveller in a grey cloak, one hand never far from their purse.",
      personality: "Guarded and terse, though not unfriendly.",
      greeting: "You've a look about you. What do you want?",
      topics: [
        { topic: "travel", answer: "I go where the work is. I don't stay long." },
        { topic: "danger", answer: "Trust your ears more than your eyes, after sundown." },
      ],
      disposition: 0, hp: 16, attack: 3, defense: 3,
    },
  },
  {
    surname: "Bellweather",
    npc: {
      description: "A round-faced cook with flour on their apron and a basket on their arm.",
      personality: "Warm and motherly, full of advice nobody asked for.",
      greeting: "Goodness, you look half-starved. Sit a moment.",
      topics: [
        { topic: "food", answer: "Bread, broth and a little honey. It mends most things." },
        { topic: "gossip", answer: "I hear everything, dear, and repeat only half of it." },
      ],
      disposition: 35, hp: 10, attack: 1, defense: 1,
    },
  },
  {
    surname: "Crane",
    npc: {
      description: "A lanky fisher with a coil of line over one shoulder and a patient look.",
      personality: "Quiet and patient, with a dry sense of humour.",
      greeting: "Fish aren't biting. Might as well talk.",
      topics: [
        { topic: "water", answer: "Still water hides deep holes. Mind where you step." },
        { topic: "fish", answer: "Eels, mostly. Nobody likes eels but the eels." },
      ],
      disposition: 15, hp: 12, attack: 2, defense: 1,
    },
  },
];

const ITEM_ADJECTIVES = ["battered", "small", "old", "carved", "tarnished", "worn"] as const;

const THINGS: readonly (Omit<ItemProposal, "name"> & { readonly noun: string })[] = [
  { noun: "tin whistle", kind: "tool", description: "A whistle of thin tin. It still gives a clear note.", text: "" },
  { noun: "copper coin", kind: "treasure", description: "A coin worn nearly smooth; the face on it could be anyone's.", text: "" },
  { noun: "folded note", kind: "readable", description: "A scrap of paper, folded small and soft with handling.", text: "Do not wait for me. Go on ahead, and keep to the lit road." },
  { noun: "apple", kind: "food", description: "A small, sharp-smelling apple.", text: "" },
  { noun: "flask of water", kind: "drink", description: "A stoppered flask, still half full of clean water.", text: "" },
  { noun: "candle stub", kind: "tool", description: "The last inch of a tallow candle, with a blackened wick.", text: "" },
];

const ROOM_ADJECTIVES = ["Dusty", "Narrow", "Quiet", "Cramped", "Forgotten", "Dim"] as const;

const ROOMS: readonly (Omit<LocationProposal, "name"> & { readonly noun: string })[] = [
  {
    noun: "Storeroom",
    description: "A low storeroom, its shelves long since emptied. Dust lies thick on the floor, broken only by the tracks of mice.",
    features: [{ name: "shelves", description: "Rough planks on iron brackets, bare but for dust." }],
  },
  {
    noun: "Alcove",
    description: "A shallow alcove set back from the main way, just deep enough to stand in out of the wind.",
    features: [{ name: "niche", description: "A small niche in the wall, where a lamp once stood." }],
  },
  {
    noun: "Cellar",
    description: "A cold little cellar that smells of earth and old apples. The walls sweat in the dark.",
    features: [{ name: "barrels", description: "Three empty barrels, their hoops gone to rust." }],
  },
  {
    noun: "Nook",
    description: "A nook under a sloping ceiling, where someone once slept: there is still a hollow in the straw.",
    features: [{ name: "straw", description: "Old straw, flattened into the shape of a sleeper." }],
  },
  {
    noun: "Passage",
    description: "A short passage that goes nowhere much, ending in a blank wall patched with newer stone.",
    features: [{ name: "patched wall", description: "The newer stones are a different grey. Someone closed this way up, long ago." }],
  },
  {
    noun: "Back Room",
    description: "A small back room with a single shuttered window and a table pushed against the wall.",
    features: [{ name: "table", description: "A scarred table with one short leg, propped on a folded rag." }],
  },
];

/** Quests are errands for someone: "A Letter for Bram". `{who}` is the someone. */
const ERRANDS: readonly { readonly title: string; readonly description: string; readonly stages: readonly [string, string, string] }[] = [
  {
    title: "A Letter for",
    description: "{who} is waiting for a letter that never came, and would be grateful to know why.",
    stages: ["Ask around about {who}'s missing letter.", "Find out where the letter went.", "Tell {who} what became of it."],
  },
  {
    title: "A Debt Owed to",
    description: "Someone owes {who} money, and {who} is too proud to ask for it.",
    stages: ["Learn who owes {who} money.", "Persuade the debtor to pay.", "Bring the money to {who}."],
  },
  {
    title: "A Lost Charm of",
    description: "{who} has lost a small charm that means more than it looks.",
    stages: ["Ask {who} where the charm was last seen.", "Search for the charm.", "Return the charm to {who}."],
  },
  {
    title: "A Message from",
    description: "{who} needs word carried to an old friend, and cannot go themselves.",
    stages: ["Hear the message from {who}.", "Find {who}'s old friend.", "Bring the friend's answer back to {who}."],
  },
];

/** Tables are non-empty constants, so every index modulo their length is in range. */
function pick<T>(table: readonly T[], index: number): T {
  return table[index % table.length]!;
}

function npc(i: number): NpcProposal {
  const given = pick(GIVEN_NAMES, i);
  const trade = pick(TRADES, Math.floor(i / GIVEN_NAMES.length));
  return { name: `${given} ${trade.surname}`, ...trade.npc };
}

function item(i: number): ItemProposal {
  const adjective = pick(ITEM_ADJECTIVES, i);
  const { noun, ...thing } = pick(THINGS, Math.floor(i / ITEM_ADJECTIVES.length));
  return { name: `${adjective} ${noun}`, ...thing };
}

function location(i: number): LocationProposal {
  const adjective = pick(ROOM_ADJECTIVES, i);
  const { noun, ...room } = pick(ROOMS, Math.floor(i / ROOM_ADJECTIVES.length));
  return { name: `The ${adjective} ${noun}`, ...room };
}

function quest(i: number): QuestProposal {
  const who = pick(GIVEN_NAMES, i);
  const errand = pick(ERRANDS, Math.floor(i / GIVEN_NAMES.length));
  const fill = (text: string): string => text.replaceAll("{who}", who);
  return { name: `${errand.title} ${who}`, description: fill(errand.description), stages: errand.stages.map(fill) };
}

const TABLES: { readonly [K in ContentKind]: { readonly size: number; readonly make: (i: number) => ProposalOf<K> } } = {
  npc: { size: GIVEN_NAMES.length * TRADES.length, make: npc },
  item: { size: ITEM_ADJECTIVES.length * THINGS.length, make: item },
  location: { size: ROOM_ADJECTIVES.length * ROOMS.length, make: location },
  quest: { size: GIVEN_NAMES.length * ERRANDS.length, make: quest },
};

/** How many distinct fallback proposals there are of a kind. */
export function fallbackCount(kind: ContentKind): number {
  return TABLES[kind].size;
}

/**
 * The `attempt`-th fallback proposal for a request (0 first; wraps after fallbackCount). The same
 * seed and request id always give the same sequence.
 */
export function fallbackProposal<K extends ContentKind>(kind: K, seed: number, requestId: string, attempt: number): ProposalOf<K> {
  const table: { readonly size: number; readonly make: (i: number) => ProposalOf<K> } = TABLES[kind];
  return table.make((hash(`${seed}:${requestId}`) + attempt) % table.size);
}

import { killNpc, own, setDisposition, setPlayerHp, type Turn } from "./turn.js";

/**
 * Combat is a loop of turns: the player strikes with their action, then every hostile NPC in the
 * room strikes back once. A blow is d20 + the attacker's bonus against 10 + the defender's defense;
 * a natural 20 always hits and a natural 1 always misses, so no fight is ever certain.
 */

/** At or below this disposition an NPC attacks the player on sight. */
export const HOSTILE_AT = -50;

/** Damage of a bare-handed blow, before the strength bonus. */
const FISTS: readonly [number, number] = [1, 2];

export function isHostile(disposition: number): boolean {
  return disposition <= HOSTILE_AT;
}

export function hits(roll: number, bonus: number, defense: number): boolean {
  if (roll === 20) return true;
  if (roll === 1) return false;
  return roll + bonus >= 10 + defense;
}

/**
 * The player strikes an NPC that the caller has checked is here and alive. Being attacked makes
 * the NPC an enemy for good, whatever the blow did.
 */
export function playerAttacks(t: Turn, npcId: string, weaponId: string | undefined): void {
  const def = own(t.world.npcs, npcId);
  const npc = own(t.state.npcs, npcId);
  if (!def || !npc) return;
  setDisposition(t, npcId, -100);
  const weapon = weaponId === undefined ? undefined : own(t.world.items, weaponId)?.weapon;
  const { strength } = t.state.player.stats;
  const roll = t.dice.roll(20);
  const hit = hits(roll, Math.floor(strength / 2) + (weapon?.accuracy ?? 0), def.defense);
  const [lo, hi] = weapon?.damage ?? FISTS;
  // A landed blow always hurts a little, even with a blunt or useless weapon.
  const damage = hit ? Math.max(1, t.dice.int(lo, hi) + Math.floor(strength / 4)) : 0;
  npc.hp = Math.max(0, npc.hp - damage);
  t.events.push({
    kind: "attacked",
    attacker: "player",
    defender: npcId,
    ...(weaponId === undefined ? {} : { weapon: weaponId }),
    roll,
    hit,
    damage,
    defenderHp: npc.hp,
  });
  if (npc.hp <= 0) killNpc(t, npcId);
}

/**
 * An NPC strikes the player. Armour makes the player harder to hit rather than softening blows,
 * so that armour is counted once; an NPC whose damage range is 0–0 is harmless by design.
 */
function npcAttacks(t: Turn, npcId: string): void {
  const def = own(t.world.npcs, npcId);
  const player = t.state.player;
  if (!def || !player.alive) return;
  const armourId = player.equipment.armour;
  const armour = armourId === undefined ? 0 : (own(t.world.items, armourId)?.armour?.defense ?? 0);
  const roll = t.dice.roll(20);
  const hit = hits(roll, def.attack, Math.floor(player.stats.agility / 2) + armour);
  const damage = hit ? t.dice.int(def.damage[0], def.damage[1]) : 0;
  const hp = Math.max(0, player.hp - damage);
  t.events.push({ kind: "attacked", attacker: npcId, defender: "player", roll, hit, damage, defenderHp: hp });
  setPlayerHp(t, hp);
}

/** Every living hostile NPC in the player's room strikes once, in world order, until the player falls. */
export function hostilesAct(t: Turn): void {
  for (const [id, npc] of Object.entries(t.state.npcs)) {
    if (!t.state.player.alive) return;
    if (npc.alive && npc.location === t.state.player.location && isHostile(npc.disposition)) npcAttacks(t, id);
  }
}

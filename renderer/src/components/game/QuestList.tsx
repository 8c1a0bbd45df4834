import type { GameView } from "../../../../engine/api/index.js";

export function QuestList({ quests, labelledBy }: { readonly quests: GameView["quests"]; readonly labelledBy: string }) {
  if (quests.length === 0) return <p className="hint">No quests yet.</p>;
  return (
    <ul className="quests" aria-labelledby={labelledBy}>
      {quests.map(quest => (
        <li key={quest.id} className={quest.completed ? "quest-done" : undefined}>
          <span className="quest-name">
            {quest.completed && <span aria-hidden="true">✓ </span>}
            {quest.name}
          </span>
          <span className="quest-stage">{quest.completed ? "completed" : quest.stage}</span>
        </li>
      ))}
    </ul>
  );
}

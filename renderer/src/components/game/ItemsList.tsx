import type { GameView } from "../../../../engine/api/index.js";

export function ItemsList({ items, empty, labelledBy }: { readonly items: GameView["inventory"]; readonly empty: string; readonly labelledBy: string }) {
  if (items.length === 0) return <p className="hint">{empty}</p>;
  return (
    <ul className="items" aria-labelledby={labelledBy}>
      {items.map(item => (
        <li key={item.id}>{item.name}</li>
      ))}
    </ul>
  );
}

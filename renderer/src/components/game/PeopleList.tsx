import type { GameView } from "../../../../engine/api/index.js";

export function PeopleList({ people, labelledBy }: { readonly people: GameView["people"]; readonly labelledBy: string }) {
  if (people.length === 0) return <p className="hint">Nobody else is here.</p>;
  return (
    <ul className="people" aria-labelledby={labelledBy}>
      {people.map(person => (
        <li key={person.id}>
          <span className="person-name">{person.name}</span> <span className="mood">{person.mood}</span>
        </li>
      ))}
    </ul>
  );
}

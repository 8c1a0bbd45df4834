import type { GameView } from "../../../../engine/api/index.js";
import { ExitsList } from "./ExitsList.js";
import { ItemsList } from "./ItemsList.js";
import { PeopleList } from "./PeopleList.js";
import { QuestList } from "./QuestList.js";
import { StatusBlock } from "./StatusBlock.js";

/** The player's situation as the host computed it from the state. */
export function SidePanel({ view }: { readonly view: GameView }) {
  const carried = view.inventory.filter(item => !item.worn);
  const worn = view.inventory.filter(item => item.worn);
  return (
    <aside className="side" aria-label="Your situation">
      <StatusBlock view={view} />
      <section aria-labelledby="side-location">
        <h2 id="side-location">{view.location.name}</h2>
        <p className="location-description">{view.location.description}</p>
        <h3 id="side-exits">Exits</h3>
        <ExitsList exits={view.exits} labelledBy="side-exits" />
      </section>
      <section aria-labelledby="side-people">
        <h2 id="side-people">People here</h2>
        <PeopleList people={view.people} labelledBy="side-people" />
      </section>
      <section aria-labelledby="side-inventory">
        <h2 id="side-inventory">Inventory</h2>
        <ItemsList items={carried} empty="You carry nothing." labelledBy="side-inventory" />
        <h3 id="side-equipment">Equipment</h3>
        <ItemsList items={worn} empty="You wear nothing of note." labelledBy="side-equipment" />
      </section>
      <section aria-labelledby="side-quests">
        <h2 id="side-quests">Quests</h2>
        <QuestList quests={view.quests} labelledBy="side-quests" />
      </section>
    </aside>
  );
}

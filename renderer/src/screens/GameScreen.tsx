import { InputLine } from "../components/game/InputLine.js";
import { SidePanel } from "../components/game/SidePanel.js";
import { StoryLog } from "../components/game/StoryLog.js";
import { useApp } from "../store/context.js";

export function GameScreen() {
  const view = useApp(state => state.view);
  if (view === undefined) return null;
  return (
    <div className="game">
      <section className="story" aria-labelledby="story-heading">
        <h1 id="story-heading" className="visually-hidden">
          {view.worldTitle}: the story
        </h1>
        <StoryLog />
        <InputLine />
      </section>
      <SidePanel view={view} />
    </div>
  );
}

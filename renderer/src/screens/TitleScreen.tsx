import { useEffect } from "react";
import { ContinueButton } from "../components/ContinueButton.js";
import { NewGameForm } from "../components/NewGameForm.js";
import { SaveList } from "../components/SaveList.js";
import { useFocusOnMount } from "../hooks/useFocusOnMount.js";
import { useApp } from "../store/context.js";

export function TitleScreen() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const loadSaves = useApp(state => state.loadSaves);
  useEffect(() => {
    void loadSaves();
  }, [loadSaves]);
  return (
    <div className="title-screen">
      <div className="title-intro">
        <h1 ref={heading} tabIndex={-1}>
          Taleweave
        </h1>
        <p className="tagline">Type what you do. The world answers.</p>
      </div>
      <div className="title-columns">
        <section className="panel" aria-labelledby="new-game-heading">
          <h2 id="new-game-heading">New game</h2>
          <NewGameForm />
        </section>
        <section className="panel" aria-labelledby="continue-heading">
          <h2 id="continue-heading">Continue</h2>
          <ContinueButton />
          <h2 id="load-heading">Load a game</h2>
          <SaveList labelledBy="load-heading" />
        </section>
      </div>
    </div>
  );
}

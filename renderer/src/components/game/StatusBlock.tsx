import type { GameView } from "../../../../engine/api/index.js";

/** Health, the game clock, and where this game is saved. */
export function StatusBlock({ view }: { readonly view: GameView }) {
  const ratio = view.maxHp > 0 ? Math.max(0, Math.min(1, view.hp / view.maxHp)) : 0;
  const level = ratio > 0.5 ? "good" : ratio > 0.25 ? "low" : "critical";
  return (
    <section className="status-block" aria-labelledby="side-status">
      <h2 id="side-status" className="visually-hidden">
        Status
      </h2>
      <div className="hp">
        <span id="hp-label" className="hp-label">
          Health
        </span>
        <div className={`hp-bar hp-${level}`} role="meter" aria-labelledby="hp-label" aria-valuemin={0} aria-valuemax={view.maxHp} aria-valuenow={view.hp} aria-valuetext={`${view.hp} of ${view.maxHp}`}>
          <div className="hp-fill" style={{ width: `${ratio * 100}%` }} />
        </div>
        <span className="hp-value">
          {view.hp} / {view.maxHp}
        </span>
      </div>
      {!view.alive && <p className="dead">You have died. Load a save or rewind to play on.</p>}
      <dl className="facts">
        <dt>Time</dt>
        <dd>{view.clock}</dd>
        <dt>Turn</dt>
        <dd>{view.turn}</dd>
        <dt>Save</dt>
        <dd>{view.save}</dd>
        <dt>World</dt>
        <dd>{view.worldTitle}</dd>
      </dl>
      {view.offline && <p className="badge">Offline: the engine narrates without models.</p>}
    </section>
  );
}

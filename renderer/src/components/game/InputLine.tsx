import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { EMPTY_HISTORY, browse, remember } from "../../log/input-history.js";
import { useApp } from "../../store/context.js";

/** engine/api's limit on one input. */
const MAX_INPUT = 2000;

/**
 * Where the player types. Enter sends, ↑/↓ walk the history, Esc cancels the turn in progress.
 * Focused when the game screen opens and again when a turn ends, unless the player has moved on.
 */
export function InputLine() {
  const pending = useApp(state => state.turnPending);
  const submit = useApp(state => state.submit);
  const cancel = useApp(state => state.cancelTurn);
  const [line, setLine] = useState("");
  const [history, setHistory] = useState(EMPTY_HISTORY);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  useEffect(() => {
    const active = document.activeElement;
    if (!pending && (active === null || active === document.body)) input.current?.focus();
  }, [pending]);

  // Esc cancels wherever focus is on the game screen (the log, the side panel), not only here.
  useEffect(() => {
    if (!pending) return;
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      void cancel();
    };
    document.addEventListener("keydown", onEscape);
    return () => document.removeEventListener("keydown", onEscape);
  }, [pending, cancel]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = line.trim();
    if (pending || text === "") return;
    setHistory(remember(history, text));
    setLine("");
    void submit(text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      const next = browse(history, line, event.key === "ArrowUp" ? -1 : 1);
      setHistory(next.history);
      setLine(next.line);
    }
  };

  return (
    <form className="input-line" onSubmit={onSubmit} aria-label="Your action">
      <label htmlFor="command" className="visually-hidden">
        What do you do?
      </label>
      <span className="prompt" aria-hidden="true">
        ›
      </span>
      <input
        ref={input}
        id="command"
        value={line}
        onChange={e => setLine(e.target.value)}
        onKeyDown={onKeyDown}
        maxLength={MAX_INPUT}
        autoComplete="off"
        spellCheck={false}
        placeholder="What do you do?"
        aria-describedby="command-help"
      />
      {pending ? (
        <button type="button" onClick={() => void cancel()}>
          Cancel <kbd>Esc</kbd>
        </button>
      ) : (
        <button type="submit" className="primary" disabled={line.trim() === ""}>
          Send
        </button>
      )}
      <p id="command-help" className="visually-hidden">
        Enter sends. Up and down arrows recall earlier lines. Escape cancels a turn in progress.
      </p>
    </form>
  );
}

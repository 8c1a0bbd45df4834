import { useApp } from "../store/context.js";
import type { Screen } from "../store/state.js";

const LINKS: readonly { readonly screen: Screen; readonly label: string }[] = [
  { screen: "game", label: "Game" },
  { screen: "saves", label: "Saves" },
  { screen: "settings", label: "Settings" },
  { screen: "usage", label: "Usage" },
];

export function Header() {
  const screen = useApp(state => state.screen);
  const hasGame = useApp(state => state.view !== undefined);
  const go = useApp(state => state.go);
  return (
    <header className="app-header">
      <button type="button" className="brand" onClick={() => go("title")} aria-current={screen === "title" ? "page" : undefined}>
        Taleweave
      </button>
      <nav aria-label="Screens">
        <ul>
          {LINKS.map(link => (
            <li key={link.screen}>
              <button
                type="button"
                onClick={() => go(link.screen)}
                aria-current={screen === link.screen ? "page" : undefined}
                disabled={link.screen === "game" && !hasGame}
                title={link.screen === "game" && !hasGame ? "Start or load a game first" : undefined}
              >
                {link.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

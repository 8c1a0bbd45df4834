import type { ComponentType } from "react";
import { Header } from "./components/Header.js";
import { Notices } from "./components/Notices.js";
import { StatusBar } from "./components/StatusBar.js";
import { GameScreen } from "./screens/GameScreen.js";
import { SavesScreen } from "./screens/SavesScreen.js";
import { SettingsScreen } from "./screens/SettingsScreen.js";
import { TitleScreen } from "./screens/TitleScreen.js";
import { UsageScreen } from "./screens/UsageScreen.js";
import { useApp } from "./store/context.js";
import type { Screen } from "./store/state.js";

const SCREENS: Readonly<Record<Screen, ComponentType>> = {
  title: TitleScreen,
  game: GameScreen,
  saves: SavesScreen,
  settings: SettingsScreen,
  usage: UsageScreen,
};

export function App() {
  const screen = useApp(state => state.screen);
  const Current = SCREENS[screen];
  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <Header />
      <StatusBar />
      <Notices />
      <main id="main" tabIndex={-1} className={`screen screen-${screen}`}>
        <Current />
      </main>
    </div>
  );
}

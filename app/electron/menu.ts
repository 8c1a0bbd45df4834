import type { MenuItemConstructorOptions } from "electron";

/**
 * The application menu. "Open models folder" lives here rather than behind IPC: opening a folder
 * in the OS file manager is a host action, and keeping it out of the bridge keeps the renderer's
 * reach to the game API alone.
 */
export interface MenuActions {
  openModelsFolder(): void;
  openSavesFolder(): void;
}

export function menuTemplate(actions: MenuActions, options: { mac: boolean; devTools: boolean }): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: "File",
    submenu: [
      { id: "open-models-folder", label: "Open Models Folder", click: () => actions.openModelsFolder() },
      { id: "open-saves-folder", label: "Open Saves Folder", click: () => actions.openSavesFolder() },
      { type: "separator" },
      options.mac ? { role: "close" } : { role: "quit" },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: "View",
    submenu: [
      { role: "resetZoom" },
      { role: "zoomIn" },
      { role: "zoomOut" },
      { type: "separator" },
      { role: "togglefullscreen" },
      // Reload and the developer tools only when run from the repository: in a release they
      // would let a player poke at the bridge for no benefit.
      ...(options.devTools ? [{ type: "separator" as const }, { role: "reload" as const }, { role: "toggleDevTools" as const }] : []),
    ],
  };
  return [...(options.mac ? [{ role: "appMenu" as const }] : []), file, { role: "editMenu" }, view, { role: "windowMenu" }];
}

import type { MenuItemConstructorOptions } from "electron";
import { describe, expect, it, vi } from "vitest";
import { menuTemplate } from "./menu.js";

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

describe("menuTemplate", () => {
  it("has an Open Models Folder item that runs the action", () => {
    const actions = { openModelsFolder: vi.fn(), openSavesFolder: vi.fn() };
    const item = flatten(menuTemplate(actions, { mac: false, devTools: false })).find((entry) => entry.id === "open-models-folder");
    expect(item?.label).toBe("Open Models Folder");
    item?.click?.({} as never, undefined, {} as never);
    expect(actions.openModelsFolder).toHaveBeenCalledTimes(1);
    expect(actions.openSavesFolder).not.toHaveBeenCalled();
  });

  it("offers the developer tools and reload only when asked (run from the repository)", () => {
    const actions = { openModelsFolder: vi.fn(), openSavesFolder: vi.fn() };
    const roles = (devTools: boolean) => flatten(menuTemplate(actions, { mac: false, devTools })).map((entry) => entry.role);
    expect(roles(false)).not.toContain("toggleDevTools");
    expect(roles(false)).not.toContain("reload");
    expect(roles(true)).toContain("toggleDevTools");
  });

  it("follows each platform's conventions", () => {
    const actions = { openModelsFolder: vi.fn(), openSavesFolder: vi.fn() };
    const mac = flatten(menuTemplate(actions, { mac: true, devTools: false })).map((entry) => entry.role);
    const other = flatten(menuTemplate(actions, { mac: false, devTools: false })).map((entry) => entry.role);
    expect(mac).toContain("appMenu");
    expect(mac).toContain("close");
    expect(other).not.toContain("appMenu");
    expect(other).toContain("quit");
  });
});

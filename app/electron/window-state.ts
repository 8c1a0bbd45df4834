import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The window's size and position, remembered between runs in a small JSON file. The file is
 * ours but still read defensively: a hand-edited or truncated file, or a monitor that has since
 * been unplugged, must never open the window off-screen or stop the app from starting.
 */

const Coordinate = z.number().int().min(-100_000).max(100_000);
const Length = z.number().int().min(1).max(100_000);

export const WindowState = z.object({
  x: Coordinate.optional(),
  y: Coordinate.optional(),
  width: Length,
  height: Length,
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest supported window: the UI is laid out for 1024×640 and up. */
export const MIN_SIZE = { width: 1024, height: 640 } as const;
export const DEFAULT_STATE: WindowState = { width: 1280, height: 800, maximized: false };

export const WINDOW_STATE_FILE = "window-state.json";

export function loadWindowState(file: string): WindowState {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return { ...DEFAULT_STATE };
  }
  try {
    const parsed = WindowState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { ...DEFAULT_STATE };
  } catch {
    return { ...DEFAULT_STATE };
  }
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the old file intact. */
export function saveWindowState(file: string, state: WindowState): void {
  const valid = WindowState.parse(state);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(valid, null, 2) + "\n", "utf8");
  renameSync(temporary, file);
}

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/**
 * Fits `state` onto the displays that exist now. The window goes to the display it overlaps most
 * and is shrunk and moved to lie wholly inside that display's work area; a window that overlaps
 * no display loses its position (Electron then centres it) and fits the primary display.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[], primary: Rect): WindowState {
  const unplaced = (): WindowState => ({ width: Math.min(state.width, primary.width), height: Math.min(state.height, primary.height), maximized: state.maximized });
  const { x, y } = state;
  if (x === undefined || y === undefined) return unplaced();
  const rect = { x, y, width: state.width, height: state.height };
  let area: Rect | undefined;
  let best = 0;
  for (const candidate of workAreas) {
    const shared = overlap(rect, candidate);
    if (shared > best) {
      best = shared;
      area = candidate;
    }
  }
  if (area === undefined) return unplaced();
  const width = Math.min(state.width, area.width);
  const height = Math.min(state.height, area.height);
  return {
    x: Math.min(Math.max(x, area.x), area.x + area.width - width),
    y: Math.min(Math.max(y, area.y), area.y + area.height - height),
    width,
    height,
    maximized: state.maximized,
  };
}

/** The minimum size, unless the display is smaller than it: then the display's size. */
export function minimumSizeFor(area: Rect): { width: number; height: number } {
  return { width: Math.min(MIN_SIZE.width, area.width), height: Math.min(MIN_SIZE.height, area.height) };
}

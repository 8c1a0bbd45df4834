import type { CatalogModel, HostEvent, Progress } from "../../../engine/api/index.js";
import { appendEntry } from "./log-items.js";
import { notice, type Notice } from "./notices.js";
import type { AppData, CatalogState } from "./state.js";

/** The most notices kept on screen; older ones make way. */
export const MAX_NOTICES = 4;

export function addNotice(notices: readonly Notice[], next: Notice): readonly Notice[] {
  return [...notices, next].slice(-MAX_NOTICES);
}

/** How an event from the host changes what the app shows. Pure, so the streaming rules are testable. */
export function reduceEvent(data: AppData, event: HostEvent): Partial<AppData> {
  switch (event.type) {
    case "turn-started":
      return { draft: { turn: event.turn, input: event.input, text: data.draft?.text ?? "" } };
    case "narration-delta": {
      const draft = data.draft;
      if (draft === undefined || (draft.turn !== undefined && draft.turn !== event.turn)) return {};
      return { draft: { ...draft, turn: event.turn, text: draft.text + event.text } };
    }
    case "narration-reset":
      // A model failed mid-answer; what follows starts the narration again from nothing.
      return data.draft === undefined ? {} : { draft: { ...data.draft, text: "" } };
    case "turn-completed":
      return { log: appendEntry(data.log, event.entry), view: event.view, draft: undefined, progress: withoutLoads(data.progress) };
    case "turn-cancelled":
      return { draft: undefined, progress: withoutLoads(data.progress) };
    case "models-changed":
      // The settings screen re-reads the models folder when it sees the list go.
      return { models: undefined };
    case "progress":
      return { progress: updateProgress(data.progress, event.progress) };
    case "download-ended": {
      // Changed in place rather than emptied, so the catalog's buttons, and the focus on one, stay.
      const status = event.outcome === "downloaded" || event.outcome === "already-present" ? "present" : "absent";
      return { progress: withoutDownload(data.progress, event.file), catalog: withCatalogStatus(data.catalog, event.id, status) };
    }
    case "error":
      return { notices: addNotice(data.notices, notice("error", event.error)) };
  }
}

/** One bar per file and kind; a finished one goes away. */
export function updateProgress(bars: readonly Progress[], next: Progress): readonly Progress[] {
  const others = bars.filter(bar => bar.kind !== next.kind || bar.file !== next.file);
  return next.progress >= 1 ? others : [...others, next];
}

/** A model load that never reported its end (it failed) is over once the turn that wanted it is. */
export function withoutLoads(bars: readonly Progress[]): readonly Progress[] {
  return bars.some(bar => bar.kind === "load") ? bars.filter(bar => bar.kind !== "load") : bars;
}

/** A download is over: its bar goes, however it ended. */
export function withoutDownload(bars: readonly Progress[], file: string): readonly Progress[] {
  return bars.filter(bar => bar.kind !== "download" || bar.file !== file);
}

/** The catalog with one entry's status changed, until the host's next listing says more. */
export function withCatalogStatus(catalog: CatalogState | undefined, id: string, status: CatalogModel["status"]): CatalogState | undefined {
  if (catalog === undefined) return undefined;
  return {
    ...catalog,
    models: catalog.models.map(model => {
      if (model.id !== id) return model;
      const { progress: _progress, ...rest } = model;
      return status === "downloading" ? { ...rest, status, progress: 0 } : { ...rest, status };
    }),
  };
}

import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { AppState, AppStore } from "./app-store.js";

export const StoreContext = createContext<AppStore | undefined>(undefined);

/** A slice of the app's state; the component re-renders only when that slice changes. */
export function useApp<T>(select: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (store === undefined) throw new Error("useApp needs a StoreContext provider above it");
  return useStore(store, select);
}

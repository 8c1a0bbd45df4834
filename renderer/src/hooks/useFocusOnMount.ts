import { useEffect, useRef } from "react";

/**
 * Focus for an element when its screen opens, so keyboard and screen-reader users start at the
 * screen's heading (or the game's input line) instead of wherever focus was left.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

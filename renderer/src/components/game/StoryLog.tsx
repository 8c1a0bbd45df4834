import { useLayoutEffect, useRef, useState } from "react";
import { HeightIndex, logWindow } from "../../log/height-index.js";
import { useApp } from "../../store/context.js";
import { DraftEntry } from "./DraftEntry.js";
import { LogItemView } from "./LogItemView.js";

/** A first guess at an entry's height in pixels, until it has been rendered and measured. */
const ESTIMATED_HEIGHT = 120;
/** Entries rendered beyond each edge of the viewport, in pixels. */
const OVERSCAN = 800;
/** How close to the bottom counts as "at the bottom", so new text keeps scrolling into view. */
const FOLLOW_SLACK = 48;

/**
 * The story so far, windowed: only the entries near the viewport are in the DOM, with spacers
 * standing in for the rest, so thousands of turns scroll as fast as ten. The turn being played
 * streams in below, in a polite live region.
 */
export function StoryLog() {
  const items = useApp(state => state.log);
  const draft = useApp(state => state.draft);
  const scroller = useRef<HTMLDivElement>(null);
  const rendered = useRef(new Map<number, HTMLElement>());
  const follow = useRef(true);
  const width = useRef(0);
  const [heights] = useState(() => new HeightIndex(ESTIMATED_HEIGHT));
  const [viewport, setViewport] = useState({ top: 0, height: 0 });
  const [, setMeasured] = useState(0);

  heights.resize(items.length);
  const range = logWindow(heights, viewport.top, viewport.height || 2 * OVERSCAN, OVERSCAN);

  // After every render: measure what was rendered, and stay at the bottom if the reader was there.
  useLayoutEffect(() => {
    let changed = false;
    for (const [index, node] of rendered.current) changed = heights.set(index, node.offsetHeight) || changed;
    const element = scroller.current;
    if (element !== null && follow.current) element.scrollTop = element.scrollHeight;
    if (changed) setMeasured(n => n + 1);
  });

  // A new width reflows every entry: the old measurements no longer hold.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => {
      if (width.current !== element.clientWidth) {
        width.current = element.clientWidth;
        heights.reset();
      }
      setViewport({ top: element.scrollTop, height: element.clientHeight });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [heights]);

  const onScroll = () => {
    const element = scroller.current;
    if (element === null) return;
    follow.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK;
    setViewport({ top: element.scrollTop, height: element.clientHeight });
  };

  return (
    <div ref={scroller} className="log" role="region" tabIndex={0} onScroll={onScroll} aria-label="Story so far">
      <div style={{ height: range.padTop }} aria-hidden="true" />
      {items.slice(range.start, range.end).map((item, offset) => {
        const index = range.start + offset;
        return (
          <div
            key={item.key}
            className="log-item"
            ref={node => {
              if (node === null) rendered.current.delete(index);
              else rendered.current.set(index, node);
            }}
          >
            <LogItemView item={item} />
          </div>
        );
      })}
      <div style={{ height: range.padBottom }} aria-hidden="true" />
      <div className="log-live" aria-live="polite" aria-atomic="false">
        {draft !== undefined && <DraftEntry draft={draft} />}
      </div>
    </div>
  );
}

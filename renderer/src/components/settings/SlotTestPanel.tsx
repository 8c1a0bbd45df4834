import type { Slot } from "../../../../engine/api/index.js";
import { formatMs } from "../../format.js";
import { useApp } from "../../store/context.js";

/** Asks the slot for a short answer with the saved settings, and shows how long it took and what came back. */
export function SlotTestPanel({ slot }: { readonly slot: Slot }) {
  const test = useApp(state => state.slotTests[slot]);
  const testSlot = useApp(state => state.testSlot);
  const dirty = useApp(state => JSON.stringify(state.settings.draft) !== JSON.stringify(state.settings.saved));
  const result = test?.result;
  return (
    <div className="slot-test">
      <button type="button" onClick={() => void testSlot(slot)} disabled={test?.running === true} aria-describedby={dirty ? `slot-${slot}-test-hint` : undefined}>
        {test?.running === true ? "Testing…" : `Test ${slot}`}
      </button>
      {dirty && (
        <p id={`slot-${slot}-test-hint`} className="hint">
          Tests the saved settings: save first to test your changes.
        </p>
      )}
      <div role="status" className="test-result">
        {test?.error !== undefined && <p className="field-error">{test.error}</p>}
        {result !== undefined &&
          (result.ok ? (
            <>
              <p className="test-ok">
                Answered in {formatMs(result.latencyMs)}
                {result.model !== undefined && <> by {result.model}</>}
              </p>
              {result.sample !== undefined && <blockquote className="sample">{result.sample}</blockquote>}
            </>
          ) : (
            <p className="field-error">{result.error ?? "The slot did not answer."}</p>
          ))}
      </div>
    </div>
  );
}

import { useEffect } from "react";
import { UsageChart } from "../components/usage/UsageChart.js";
import { UsageSummary } from "../components/usage/UsageSummary.js";
import { UsageTable } from "../components/usage/UsageTable.js";
import { useFocusOnMount } from "../hooks/useFocusOnMount.js";
import { useApp } from "../store/context.js";

export function UsageScreen() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const usage = useApp(state => state.usage);
  const loadUsage = useApp(state => state.loadUsage);
  const working = useApp(state => state.working !== undefined);

  useEffect(() => {
    void loadUsage();
  }, [loadUsage]);

  return (
    <div className="page">
      <div className="page-heading">
        <h1 ref={heading} tabIndex={-1}>
          Usage
        </h1>
        <button type="button" onClick={() => void loadUsage()} disabled={working}>
          Refresh
        </button>
      </div>
      {usage === undefined ? (
        <p className="hint">Reading the usage ledger…</p>
      ) : (
        <>
          <UsageSummary usage={usage} />
          <section className="panel" aria-labelledby="usage-models-heading">
            <h2 id="usage-models-heading">By slot and model</h2>
            <UsageTable rows={usage.rows} labelledBy="usage-models-heading" />
          </section>
          <section className="panel" aria-labelledby="usage-chart-heading">
            <h2 id="usage-chart-heading">Over time</h2>
            <UsageChart series={usage.series} />
          </section>
        </>
      )}
    </div>
  );
}

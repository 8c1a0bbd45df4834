import type { UsageView } from "../../../../engine/api/index.js";
import { formatCount, formatHour, formatUsd } from "../../format.js";
import { layoutBars } from "./chart-layout.js";

const BOX = { width: 720, height: 160, gap: 4, maxBar: 40 };
const LABEL_SPACE = 24;

/**
 * Calls per hour as bars, the cost of each hour in its tooltip. The same figures are in a table
 * for screen readers, which cannot read a picture.
 */
export function UsageChart({ series }: { readonly series: UsageView["series"] }) {
  if (series.length === 0) return <p className="hint">Nothing to chart yet.</p>;
  const bars = layoutBars(
    series.map(point => point.calls),
    BOX,
  );
  const first = series[0];
  const last = series.at(-1);
  const lastBar = bars.at(-1);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height + LABEL_SPACE}`} role="img" aria-labelledby="usage-chart-caption" preserveAspectRatio="xMinYMid meet">
        <line x1={0} y1={BOX.height} x2={BOX.width} y2={BOX.height} className="chart-axis" />
        {bars.map((bar, i) => {
          const point = series[i];
          return (
            <rect key={point?.hour ?? i} x={bar.x} y={bar.y} width={bar.width} height={bar.height} className="chart-bar">
              {point !== undefined && <title>{`${formatHour(point.hour)}: ${formatCount(point.calls)} calls, ${formatUsd(point.costUsd)}`}</title>}
            </rect>
          );
        })}
        {first !== undefined && (
          <text x={0} y={BOX.height + 18} className="chart-label">
            {formatHour(first.hour)}
          </text>
        )}
        {last !== undefined && lastBar !== undefined && series.length > 1 && (
          <text x={lastBar.x + lastBar.width} y={BOX.height + 18} className="chart-label" textAnchor="end">
            {formatHour(last.hour)}
          </text>
        )}
      </svg>
      <figcaption id="usage-chart-caption">
        Model calls per hour, from {formatHour(first?.hour)} to {formatHour(last?.hour)}; the busiest hour had {formatCount(Math.max(...series.map(p => p.calls)))} calls.
      </figcaption>
      <details className="chart-data">
        <summary>The figures</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Hour</th>
              <th scope="col" className="num">Calls</th>
              <th scope="col" className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {series.map(point => (
              <tr key={point.hour}>
                <th scope="row">{formatHour(point.hour)}</th>
                <td className="num">{formatCount(point.calls)}</td>
                <td className="num">{formatUsd(point.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

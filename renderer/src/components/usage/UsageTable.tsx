import type { UsageView } from "../../../../engine/api/index.js";
import { formatCount, formatMs, formatUsd } from "../../format.js";

export function UsageTable({ rows, labelledBy }: { readonly rows: UsageView["rows"]; readonly labelledBy: string }) {
  if (rows.length === 0) return <p className="hint">No model calls yet. Play a turn with a model in a slot, or test a slot in Settings.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table usage" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">Calls</th>
            <th scope="col" className="num">Tokens in</th>
            <th scope="col" className="num">Tokens out</th>
            <th scope="col" className="num">Cost</th>
            <th scope="col" className="num">Latency p50</th>
            <th scope="col" className="num">Latency p95</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr key={`${row.slot}/${row.model}`}>
              <td>{row.slot}</td>
              <th scope="row">{row.model}</th>
              <td className="num">{formatCount(row.calls)}</td>
              <td className="num">{formatCount(row.tokensIn)}</td>
              <td className="num">{formatCount(row.tokensOut)}</td>
              <td className="num">{formatUsd(row.costUsd)}</td>
              <td className="num">{formatMs(row.p50Ms)}</td>
              <td className="num">{formatMs(row.p95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

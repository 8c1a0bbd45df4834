import { Complexity, Slot, TaskType, type RoutesTable as Table } from "../../../../engine/api/index.js";
import type { SettingsDoc } from "../../settings/doc.js";
import { setRouteField } from "../../settings/edit.js";
import { COMPLEXITY_LABELS, TASK_LABELS } from "../../settings/route-labels.js";
import { useApp } from "../../store/context.js";
import { NumberField } from "../NumberField.js";

export interface RoutesTableProps {
  readonly doc: SettingsDoc;
  /** The routes the draft stands for, and the host's defaults they override. */
  readonly table: Table;
  readonly defaults: Table;
  readonly labelledBy: string;
}

/** Every (task, complexity) cell with its slot, temperature and token limit; changed cells are marked. */
export function RoutesTable({ doc, table, defaults, labelledBy }: RoutesTableProps) {
  const edit = useApp(state => state.editSettings);
  return (
    <div className="table-scroll">
      <table className="data-table routes" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Slot</th>
            <th scope="col">Temperature</th>
            <th scope="col">Max tokens</th>
          </tr>
        </thead>
        <tbody>
          {TaskType.options.flatMap(task =>
            Complexity.options.map(complexity => {
              const route = table[task][complexity];
              const id = `route-${task}-${complexity}`;
              const name = `${TASK_LABELS[task]}, ${COMPLEXITY_LABELS[task][complexity]}`;
              const changed = doc.routes[task]?.[complexity] !== undefined;
              return (
                <tr key={id} className={changed ? "changed" : undefined}>
                  <th scope="row" id={id}>
                    {TASK_LABELS[task]} <span className="complexity">{COMPLEXITY_LABELS[task][complexity]}</span>
                    {changed && <span className="tag">changed</span>}
                  </th>
                  <td>
                    <label htmlFor={`${id}-slot`} className="visually-hidden">
                      Slot for {name}
                    </label>
                    <select id={`${id}-slot`} value={route.slot} onChange={e => {
                        const slot = Slot.safeParse(e.target.value);
                        if (slot.success) edit(d => setRouteField(d, defaults, task, complexity, "slot", slot.data));
                      }}>
                      {Slot.options.map(slot => (
                        <option key={slot} value={slot}>
                          {slot}
                          {defaults[task][complexity].slot === slot ? " (default)" : ""}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="compact-field">
                    <NumberField id={`${id}-temperature`} label={`Temperature for ${name}`} value={route.temperature} min={0} max={2} step={0.05} onChange={v => v !== undefined && edit(d => setRouteField(d, defaults, task, complexity, "temperature", v))} />
                  </td>
                  <td className="compact-field">
                    <NumberField id={`${id}-tokens`} label={`Max tokens for ${name}`} value={route.maxTokens} min={1} integer onChange={v => v !== undefined && edit(d => setRouteField(d, defaults, task, complexity, "maxTokens", v))} />
                  </td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
}

import { COMPLEXITIES, COMPLEXITY_LABELS, DEFAULT_ROUTES, SLOTS, TASK_LABELS, TASK_TYPES, isSlotName } from "../../settings/default-routes.js";
import type { SettingsDoc } from "../../settings/doc.js";
import { resolveRoutes, setRouteField } from "../../settings/edit.js";
import { useApp } from "../../store/context.js";
import { NumberField } from "../NumberField.js";

/** Every (task, complexity) cell with its slot, temperature and token limit; changed cells are marked. */
export function RoutesTable({ doc, labelledBy }: { readonly doc: SettingsDoc; readonly labelledBy: string }) {
  const edit = useApp(state => state.editSettings);
  const table = resolveRoutes(doc.routes);
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
          {TASK_TYPES.flatMap(task =>
            COMPLEXITIES.map(complexity => {
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
                        const slot = e.target.value;
                        if (isSlotName(slot)) edit(d => setRouteField(d, task, complexity, "slot", slot));
                      }}>
                      {SLOTS.map(slot => (
                        <option key={slot} value={slot}>
                          {slot}
                          {DEFAULT_ROUTES[task][complexity].slot === slot ? " (default)" : ""}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="compact-field">
                    <NumberField id={`${id}-temperature`} label={`Temperature for ${name}`} value={route.temperature} min={0} max={2} step={0.05} onChange={v => v !== undefined && edit(d => setRouteField(d, task, complexity, "temperature", v))} />
                  </td>
                  <td className="compact-field">
                    <NumberField id={`${id}-tokens`} label={`Max tokens for ${name}`} value={route.maxTokens} min={1} integer onChange={v => v !== undefined && edit(d => setRouteField(d, task, complexity, "maxTokens", v))} />
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

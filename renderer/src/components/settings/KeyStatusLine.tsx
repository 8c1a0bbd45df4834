import { isStorableKey, keyEnvOf, type ModelEntry } from "../../settings/doc.js";
import { useApp } from "../../store/context.js";
import { KeyForm } from "./KeyForm.js";

/** Whether the key a cloud model needs is available. The key itself is never sent to this page. */
export function KeyStatusLine({ entry }: { readonly entry: ModelEntry }) {
  const keys = useApp(state => state.settings.keys);
  const env = keyEnvOf(entry);
  if (env === undefined) return <p className="hint">Runs on this computer: no key needed.</p>;
  const status = keys[env] ?? keys[entry.provider];
  return (
    <div className="key-status">
      <p>
        Key <code>{env}</code>:{" "}
        <strong className={status === "set" ? "key-set" : "key-missing"}>{status ?? "unknown"}</strong>
      </p>
      {status !== "set" && isStorableKey(env) && <KeyForm env={env} />}
      {status !== "set" && !isStorableKey(env) && <p className="hint">Set the environment variable {env} before starting Taleweave.</p>}
    </div>
  );
}

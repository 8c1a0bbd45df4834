import { useId, useState, type FormEvent } from "react";
import type { StorableKey } from "../../settings/doc.js";
import { useApp } from "../../store/context.js";

/**
 * Hands a key to the host's keychain. The field is cleared whatever the outcome, so the key does
 * not linger in the page. The web host refuses (keys there come from the environment) and says so.
 */
export function KeyForm({ env }: { readonly env: StorableKey }) {
  const setKey = useApp(state => state.setKey);
  const [key, setKeyText] = useState("");
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (key === "") return;
    setKeyText("");
    void setKey(env, key);
  };
  return (
    <form className="inline-form key-form" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={id}>Store a key for {env}</label>
        <input id={id} type="password" value={key} onChange={e => setKeyText(e.target.value)} autoComplete="off" spellCheck={false} maxLength={500} />
      </div>
      <button type="submit" disabled={key === ""}>
        Store key
      </button>
    </form>
  );
}

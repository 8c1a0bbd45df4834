import { useState } from "react";

export interface NumberFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: number | undefined;
  /** Called with each valid value; undefined when the field is emptied (the default applies). */
  readonly onChange: (value: number | undefined) => void;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly integer?: boolean;
  readonly placeholder?: string;
  /** Whether empty is allowed; without it, empty is reported as an error. */
  readonly optional?: boolean;
}

type Parsed = { readonly ok: true; readonly value: number | undefined } | { readonly ok: false; readonly message: string };

export function parseNumber(text: string, props: Pick<NumberFieldProps, "min" | "max" | "integer" | "optional">): Parsed {
  if (text.trim() === "") return props.optional === true ? { ok: true, value: undefined } : { ok: false, message: "Enter a number." };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, message: "Enter a number." };
  if (props.integer === true && !Number.isInteger(value)) return { ok: false, message: "Enter a whole number." };
  if (props.min !== undefined && value < props.min) return { ok: false, message: `At least ${props.min}.` };
  if (props.max !== undefined && value > props.max) return { ok: false, message: `At most ${props.max}.` };
  return { ok: true, value };
}

/**
 * A number input that keeps what is typed (a half-typed "0." included) and passes on only valid
 * values; an invalid entry says why beside the field.
 */
export function NumberField(props: NumberFieldProps) {
  const { id, label, value, onChange, min, max, step, placeholder } = props;
  const [text, setText] = useState(value === undefined ? "" : String(value));
  const [shown, setShown] = useState(value);
  // A change from outside (Revert, a slot-wide edit) replaces what was typed.
  if (value !== shown) {
    setShown(value);
    const parsed = parseNumber(text, props);
    if (!parsed.ok || parsed.value !== value) setText(value === undefined ? "" : String(value));
  }
  const parsed = parseNumber(text, props);
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={text}
        min={min}
        max={max}
        step={step ?? (props.integer === true ? 1 : "any")}
        placeholder={placeholder}
        aria-invalid={!parsed.ok}
        aria-describedby={parsed.ok ? undefined : errorId}
        onChange={event => {
          setText(event.target.value);
          const next = parseNumber(event.target.value, props);
          if (next.ok) {
            setShown(next.value);
            onChange(next.value);
          }
        }}
      />
      {!parsed.ok && (
        <p id={errorId} className="field-error">
          {parsed.message}
        </p>
      )}
    </div>
  );
}

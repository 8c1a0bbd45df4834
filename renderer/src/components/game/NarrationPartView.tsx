import type { NarrationPart } from "../../../../engine/api/index.js";

/** Narration as paragraphs; a character's words under the character's name. */
export function NarrationPartView({ part }: { readonly part: NarrationPart }) {
  if (part.kind === "dialogue") {
    return (
      <p className="dialogue">
        <span className="speaker">{part.name}</span> {part.text}
      </p>
    );
  }
  return (
    <>
      {part.text
        .split(/\n\s*\n/)
        .filter(paragraph => paragraph.trim() !== "")
        .map((paragraph, i) => (
          <p key={i} className="narration">
            {paragraph}
          </p>
        ))}
    </>
  );
}

/** What the player typed, set apart from the story. */
export function PlayerInput({ text }: { readonly text: string }) {
  return (
    <p className="player-input">
      <span className="visually-hidden">You: </span>
      {text}
    </p>
  );
}

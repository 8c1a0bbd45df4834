/** Shown instead of the app when the page cannot reach the game at all. */
export function NoConnection({ message }: { readonly message: string }) {
  return (
    <main className="no-connection">
      <h1>Taleweave cannot start here</h1>
      <p role="alert">{message}</p>
    </main>
  );
}

import { useApp } from "../store/context.js";
import { NoticeCard } from "./NoticeCard.js";

/** Errors and notes about the app, apart from the story: an error is never shown as narration. */
export function Notices() {
  const notices = useApp(state => state.notices);
  const dismiss = useApp(state => state.dismiss);
  const errors = notices.filter(n => n.tone === "error");
  const notes = notices.filter(n => n.tone === "info");
  return (
    <div className="notices">
      <div role="alert">
        {errors.map(n => (
          <NoticeCard key={n.id} notice={n} onDismiss={() => dismiss(n.id)} />
        ))}
      </div>
      <div role="status">
        {notes.map(n => (
          <NoticeCard key={n.id} notice={n} onDismiss={() => dismiss(n.id)} />
        ))}
      </div>
    </div>
  );
}

import type { Notice } from "../store/notices.js";

export function NoticeCard({ notice, onDismiss }: { readonly notice: Notice; readonly onDismiss: () => void }) {
  return (
    <section className={`notice notice-${notice.tone}`} aria-label={notice.title}>
      <h2>{notice.title}</h2>
      <p>{notice.message}</p>
      <button type="button" className="notice-close" onClick={onDismiss} aria-label={`Dismiss: ${notice.title}`}>
        ×
      </button>
    </section>
  );
}

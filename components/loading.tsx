export function PageLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="stack" aria-busy="true">
      <span className="muted">{label}</span>
      <div className="skeleton" />
      <div className="skeleton short" />
    </div>
  );
}

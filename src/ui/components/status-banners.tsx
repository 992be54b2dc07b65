import type { UpdateHandle } from '../../client/service-worker';

export function UpdateBanner({ update, busy }: { update: UpdateHandle; busy: boolean }) {
  return (
    <div className="banner" role="status" data-testid="update-banner">
      <span>A new version of Sift is ready.</span>
      {busy ? (
        <span className="muted">It will be offered again when indexing finishes.</span>
      ) : (
        <button type="button" className="button small primary" data-testid="update-reload" onClick={() => update.apply()}>
          Reload to update
        </button>
      )}
    </div>
  );
}

export function OfflineBadge() {
  return (
    <span
      className="badge offline"
      data-testid="offline-indicator"
      title="No network. Search and local answer endpoints keep working; model downloads and remote LLMs are unavailable until you are back online."
    >
      Offline
    </span>
  );
}

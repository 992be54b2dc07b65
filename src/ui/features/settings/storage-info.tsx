import { useEffect, useState } from 'react';

interface StorageState {
  usage?: number;
  quota?: number;
  persisted: boolean;
}

/** How much of the browser's quota the library uses, and whether the browser promised to keep it. */
export function StorageInfo() {
  const [state, setState] = useState<StorageState | undefined>();
  const read = async () => {
    const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted()]);
    setState({ usage: estimate.usage, quota: estimate.quota, persisted });
  };
  useEffect(() => {
    void read();
  }, []);
  if (!state) return null;
  return (
    <div className="storage-info" data-testid="storage-info">
      <p className="small">
        Using <strong>{formatBytes(state.usage)}</strong> of {formatBytes(state.quota)} this browser allows.{' '}
        {state.persisted ? (
          <span className="ok">The browser will keep this data even when space runs low.</span>
        ) : (
          <span className="muted">The browser may clear this data if the device runs low on space.</span>
        )}
      </p>
      {!state.persisted && (
        <button type="button" className="button small" onClick={() => void navigator.storage.persist().then(read)}>
          Ask the browser to keep my library
        </button>
      )}
    </div>
  );
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'an unknown amount';
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

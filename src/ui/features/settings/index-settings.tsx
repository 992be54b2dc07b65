import { useEffect, useState } from 'react';
import { getEngine } from '../../../client/engine-client';
import type { IndexSettings } from '../../../engine/collection/index-policy';

const KINDS: { value: IndexSettings['kind']; label: string }[] = [
  { value: 'auto', label: 'Automatic (exact when small, HNSW when large, IVF-PQ past the memory budget)' },
  { value: 'Flat', label: 'Exact (Flat)' },
  { value: 'HNSW', label: 'HNSW graph' },
  { value: 'HNSW-SQ8', label: 'HNSW graph, 8-bit vectors' },
  { value: 'SQ8', label: '8-bit scalar quantization' },
  { value: 'IVF-PQ', label: 'IVF-PQ (smallest memory), exact re-rank' },
];

/** The vector index: kind and the parameters that trade speed for recall. */
export function IndexSettingsSection() {
  const [settings, setSettings] = useState<IndexSettings | undefined>();
  const [inUse, setInUse] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void getEngine()
      .getIndexSettings()
      .then((r) => {
        setSettings(r.settings);
        setInUse(r.inUse);
      });
  }, []);
  if (!settings) return null;
  const set = (patch: Partial<IndexSettings>) => setSettings({ ...settings, ...patch });
  const number = (key: 'm' | 'efSearch' | 'nprobe' | 'kFactor' | 'memoryBudgetMB', label: string, min: number) => (
    <label>
      {label}
      <input type="number" min={min} value={settings[key]} onChange={(e) => set({ [key]: Math.max(min, Number(e.target.value) || min) })} />
    </label>
  );
  return (
    <div className="index-settings">
      <label>
        Vector index
        <select data-testid="index-kind" value={settings.kind} onChange={(e) => set({ kind: e.target.value as IndexSettings['kind'] })}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <details>
        <summary>Index parameters</summary>
        <div className="settings-grid">
          {number('m', 'HNSW links per node (M)', 4)}
          {number('efSearch', 'HNSW search breadth (efSearch)', 10)}
          {number('nprobe', 'IVF lists probed (nprobe)', 1)}
          {number('kFactor', 'Re-rank depth (× k)', 1)}
          {number('memoryBudgetMB', 'Memory budget for vectors (MB)', 16)}
        </div>
      </details>
      <div className="settings-row">
        <button
          type="button"
          className="button small"
          data-testid="index-apply"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setInUse(await getEngine().saveIndexSettings(settings));
            setBusy(false);
          }}
        >
          {busy ? 'Rebuilding…' : 'Apply and rebuild'}
        </button>
        <span className="muted small" data-testid="index-in-use">
          In use: {inUse}
        </span>
      </div>
    </div>
  );
}

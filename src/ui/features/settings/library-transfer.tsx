import { useState } from 'react';
import { getEngine } from '../../../client/engine-client';

type TransferState = { state: 'idle' } | { state: 'busy'; what: string } | { state: 'done'; message: string } | { state: 'error'; message: string };

/** Export the whole library to one file, or import one (from this or another browser). */
export function LibraryTransfer({ onImported }: { onImported?: () => void }) {
  const [status, setStatus] = useState<TransferState>({ state: 'idle' });

  const exportLibrary = async () => {
    setStatus({ state: 'busy', what: 'Exporting…' });
    try {
      const bytes = await getEngine().exportLibrary();
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `sift-library-${new Date().toISOString().slice(0, 10)}.siftcol`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus({ state: 'done', message: `Exported ${(bytes.byteLength / (1024 * 1024)).toFixed(1)} MB.` });
    } catch (error) {
      setStatus({ state: 'error', message: (error as Error).message });
    }
  };

  const importLibrary = async (file: File) => {
    setStatus({ state: 'busy', what: `Importing ${file.name}…` });
    try {
      const r = await getEngine().importLibrary(file);
      const parts = [`${r.added} added`, `${r.replaced} updated`, `${r.skipped} already here`];
      setStatus({
        state: 'done',
        message: `Imported ${file.name}: ${parts.join(', ')}.${r.needsReembedding ? ' Passages from another model were re-embedded.' : ''}`,
      });
      onImported?.();
    } catch (error) {
      setStatus({ state: 'error', message: (error as Error).message });
    }
  };

  return (
    <div className="settings-row" data-testid="library-transfer">
      <button type="button" className="button small" data-testid="library-export" onClick={() => void exportLibrary()} disabled={status.state === 'busy'}>
        Export library
      </button>
      <label className="button small">
        Import library
        <input
          type="file"
          accept=".siftcol"
          hidden
          data-testid="library-import"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importLibrary(file);
          }}
        />
      </label>
      {status.state === 'busy' && <span className="muted small">{status.what}</span>}
      {status.state === 'done' && <span className="ok small" data-testid="library-transfer-result">{status.message}</span>}
      {status.state === 'error' && <span className="error small" data-testid="library-transfer-result">{status.message}</span>}
    </div>
  );
}

import { useRef, useState, type ReactNode } from 'react';
import type { DroppedFile } from '../../../worker/engine-api';
import { collectDroppedFiles } from './collect-files';

/**
 * The whole workspace accepts drops. A counter, not a boolean, tracks
 * dragging: dragenter/dragleave fire for every child crossed, and a boolean
 * would flicker the overlay off over each one.
 */
export function DropZone({ onFiles, children }: { onFiles: (files: DroppedFile[]) => void; children: ReactNode }) {
  const depth = useRef(0);
  const [dragging, setDragging] = useState(false);
  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

  return (
    <div
      className="drop-zone"
      data-testid="drop-zone"
      data-dragging={dragging}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        void collectDroppedFiles(e.dataTransfer).then(onFiles);
      }}
    >
      {children}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <DropIcon />
            <p className="drop-overlay-title">Drop to add to your library</p>
            <p className="drop-overlay-hint">Files and folders stay on this device.</p>
          </div>
        </div>
      )}
    </div>
  );
}

function DropIcon() {
  return (
    <svg width="48" height="48" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M12 3v12m0 0l-4-4m4 4l4-4M4 17v2a2 2 0 002 2h12a2 2 0 002-2v-2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

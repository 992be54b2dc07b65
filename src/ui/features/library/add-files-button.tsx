import { useRef } from 'react';
import type { DroppedFile } from '../../../worker/engine-api';
import { collectPickedFiles } from './collect-files';

export const ACCEPTED_TYPES = '.txt,.md,.markdown,.html,.htm,.pdf,.docx,.csv,.json';

export function AddFilesButtons({ onFiles, disabled }: { onFiles: (files: DroppedFile[]) => void; disabled?: boolean }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const pick = (input: HTMLInputElement) => {
    if (input.files?.length) onFiles(collectPickedFiles(input.files));
    input.value = '';
  };
  return (
    <div className="add-files">
      <button type="button" className="button primary" disabled={disabled} onClick={() => fileInput.current?.click()}>
        Add files
      </button>
      <button type="button" className="button" disabled={disabled} onClick={() => folderInput.current?.click()}>
        Add folder
      </button>
      <input
        ref={fileInput}
        data-testid="file-input"
        type="file"
        multiple
        accept={ACCEPTED_TYPES}
        hidden
        onChange={(e) => pick(e.currentTarget)}
      />
      <input
        ref={folderInput}
        data-testid="folder-input"
        type="file"
        multiple
        hidden
        {...{ webkitdirectory: '' }}
        onChange={(e) => pick(e.currentTarget)}
      />
    </div>
  );
}

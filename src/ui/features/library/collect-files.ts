import type { DroppedFile } from '../../../worker/engine-api';

/**
 * Files from a drop, walking dropped folders recursively. Entries must be
 * taken synchronously inside the drop event (the DataTransfer empties after
 * it), so call this from the handler and await the result afterwards.
 */
export function collectDroppedFiles(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  if (entries.length === 0 && loose.length === 0) {
    loose.push(...Array.from(transfer.files));
  }
  return Promise.all(entries.map((entry) => walk(entry, ''))).then((nested) => [
    ...nested.flat(),
    ...loose.map((file) => ({ file, path: file.name })),
  ]);
}

/** Files chosen with the file picker; a folder picker fills `webkitRelativePath`. */
export function collectPickedFiles(list: FileList): DroppedFile[] {
  return Array.from(list).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

async function walk(entry: FileSystemEntry, prefix: string): Promise<DroppedFile[]> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path }];
  }
  if (!entry.isDirectory) return [];
  if (entry.name.startsWith('.')) return []; // .git, .DS_Store folders and the like
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call; keep reading until empty.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => walk(child, path)));
  return nested.flat();
}

/**
 * Structural checks on a loaded HNSW graph, so a damaged file that still
 * passes the checksum (or a bug in an old writer) fails with CORRUPT_INDEX
 * instead of reading out of bounds during search.
 */
import { corrupt } from './binary-format';

export const MAX_LEVEL = 31;

export interface GraphArrays {
  n: number;
  m: number;
  entry: number;
  maxLevel: number;
  levels: Uint8Array;
  links0: Uint32Array;
  upperOffset: Int32Array;
  upperLinks: Uint32Array;
}

export function validateGraph(g: GraphArrays): void {
  const { n, m, entry, maxLevel, levels, links0, upperOffset, upperLinks } = g;
  if ((n === 0) !== (entry < 0)) throw corrupt('entry point inconsistent with count');
  if (entry >= 0 && levels[entry] !== maxLevel) throw corrupt('entry level mismatch');
  const maxM0 = 2 * m;
  const stride = maxM0 + 1;
  for (let s = 0; s < n; s++) {
    const c = links0[s * stride];
    if (c > maxM0) throw corrupt('too many links', { slot: s });
    for (let i = 1; i <= c; i++) if (links0[s * stride + i] >= n) throw corrupt('link out of range');
    const level = levels[s];
    if (level > MAX_LEVEL) throw corrupt('bad level');
    if (level === 0) continue;
    const off = upperOffset[s];
    if (off < 0 || off + level * (m + 1) > upperLinks.length) throw corrupt('upper links out of range');
    for (let l = 0; l < level; l++) {
      const b = off + l * (m + 1);
      if (upperLinks[b] > m) throw corrupt('too many links', { slot: s });
      for (let i = 1; i <= upperLinks[b]; i++) if (upperLinks[b + i] >= n) throw corrupt('link out of range');
    }
  }
}

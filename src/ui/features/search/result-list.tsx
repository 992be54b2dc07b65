import type { SearchHit, StageScore } from '../../../engine/search/search-types';
import { HighlightedText } from '../../components/highlighted-text';

/** Names users know: the fused first stage is "hybrid". */
const STAGE_LABELS: Record<StageScore['stage'], string> = {
  bm25: 'BM25',
  dense: 'dense',
  fused: 'hybrid',
  'bi-encoder': 'bi-encoder',
  'cross-encoder': 'cross-encoder',
};

/** Cosines and fused scores are small; cross-encoder logits can be large or negative. */
function formatScore(score: number): string {
  return Math.abs(score) >= 10 ? score.toFixed(1) : score.toFixed(3);
}

export function ResultList({ hits, onOpen }: { hits: SearchHit[]; onOpen: (hit: SearchHit) => void }) {
  return (
    <ol className="results">
      {hits.map((hit) => (
        <li key={hit.chunkId} className="result-item" data-testid="result-item">
          <div className="result-head">
            <button type="button" className="result-doc" onClick={() => onOpen(hit)}>
              {hit.docName}
            </button>
            {hit.headingPath.length > 0 && <span className="result-where muted">{hit.headingPath.join(' › ')}</span>}
            {hit.page !== undefined && <span className="result-where muted">page {hit.page}</span>}
            <span className="result-score" title={hit.stages.map((s) => `${STAGE_LABELS[s.stage]}: ${formatScore(s.score)} (#${s.rank})`).join('\n')}>
              {formatScore(hit.score)}
            </span>
          </div>
          <p className="result-snippet">
            <HighlightedText text={hit.snippet.text} highlights={hit.snippet.highlights} />
          </p>
          <div className="result-stages muted" data-testid="hit-stages">
            {hit.stages.map((s, i) => {
              // The last stage set the order; the earlier ones show how the hit got there.
              const final = i === hit.stages.length - 1;
              return (
                <span
                  key={s.stage}
                  className={final ? 'stage-chip final' : 'stage-chip'}
                  data-stage={s.stage}
                  title={final ? 'This stage set the order' : undefined}
                >
                  {STAGE_LABELS[s.stage]} {formatScore(s.score)} · #{s.rank}
                </span>
              );
            })}
          </div>
        </li>
      ))}
    </ol>
  );
}

import type { SearchHit } from '../../../engine/search/search-types';
import { HighlightedText } from '../../components/highlighted-text';

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
            <span className="result-score" title={hit.stages.map((s) => `${s.stage}: ${s.score.toFixed(3)} (#${s.rank})`).join('\n')}>
              {hit.score.toFixed(3)}
            </span>
          </div>
          <p className="result-snippet">
            <HighlightedText text={hit.snippet.text} highlights={hit.snippet.highlights} />
          </p>
          <div className="result-stages muted">
            {hit.stages.map((s) => (
              <span key={s.stage} className="stage-chip">
                {s.stage} {s.score.toFixed(3)} · #{s.rank}
              </span>
            ))}
          </div>
        </li>
      ))}
    </ol>
  );
}

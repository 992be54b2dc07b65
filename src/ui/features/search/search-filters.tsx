import type { DocumentSummary } from '../../../engine/collection/collection-state';

export interface Filters {
  type: string;
  within: string;
  docId: string;
}

export const NO_FILTERS: Filters = { type: '', within: '', docId: '' };

const WITHIN: Record<string, number> = { day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 };

/** Metadata filters: by file type, by when a document was added, or within one document. */
export function SearchFilters({ documents, filters, onChange }: { documents: DocumentSummary[]; filters: Filters; onChange: (f: Filters) => void }) {
  const types = [...new Set(documents.map((d) => d.type))].sort();
  return (
    <div className="filters" data-testid="search-filters">
      <select aria-label="File type" data-testid="filter-type" value={filters.type} onChange={(e) => onChange({ ...filters, type: e.target.value })}>
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t} value={t}>
            .{t}
          </option>
        ))}
      </select>
      <select aria-label="Added" data-testid="filter-added" value={filters.within} onChange={(e) => onChange({ ...filters, within: e.target.value })}>
        <option value="">Added any time</option>
        <option value="day">Added today</option>
        <option value="week">Added this week</option>
        <option value="month">Added this month</option>
      </select>
      <select aria-label="Document" data-testid="filter-document" value={filters.docId} onChange={(e) => onChange({ ...filters, docId: e.target.value })}>
        <option value="">All documents</option>
        {documents.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function toSearchOptions(filters: Filters, now = Date.now()) {
  return {
    types: filters.type ? [filters.type] : undefined,
    addedAfter: filters.within ? now - WITHIN[filters.within] : undefined,
    docIds: filters.docId ? [Number(filters.docId)] : undefined,
  };
}

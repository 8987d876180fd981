import { useState } from 'react';
import { Button } from './ui';

/**
 * Pages of a cursor-paginated list: the API gives the next page's cursor only, so the cursors
 * of the pages already seen are kept to go back.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length + 1,
    /** Back to the first page (the filters changed). */
    reset: () => setCursors([]),
    next: (cursor: string) => setCursors((stack) => [...stack, cursor]),
    previous: () => setCursors((stack) => stack.slice(0, -1)),
  };
}

export function Pager({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null }) {
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-between">
      <p className="text-sm text-slate-600">Page {pages.page}</p>
      <div className="flex gap-2">
        <Button disabled={pages.page === 1} onClick={pages.previous}>Previous</Button>
        <Button disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>Next</Button>
      </div>
    </nav>
  );
}

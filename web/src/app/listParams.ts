import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list page's state kept in the address, so that back, reload and a shared link keep it: the
 * search (`q`, written 300 ms after the typing stops), the page and the page's own filters.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [typed, setTyped] = useState(search);
  const [debounced] = useDebouncedValue(typed, 300);

  /** Sets (or, with null or '', removes) address parameters, keeping the others. */
  const update = (changes: Record<string, string | null>) => {
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  };

  useEffect(() => {
    // Only the typed text drives this; the other parameters are kept as they are.
    if (debounced.trim() !== search.trim()) update({ q: debounced.trim() || null, page: null });
  }, [debounced]);

  return { params, search, page, typed, setTyped, update };
}

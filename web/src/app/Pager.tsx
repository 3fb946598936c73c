import { Group, Pagination, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

interface PagerProps {
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
  /** What is counted: ['patient', 'patients']. */
  noun: readonly [string, string];
  onChange: (page: number) => void;
  /** Test id of the "21–40 of 57 patients" line. */
  countTestId?: string;
}

/** The foot of a paged list: "21–40 of 57 patients" and, when there is more than one page, the pages. */
export function Pager({ total, page, pageSize, noun, onChange, countTestId }: PagerProps) {
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  if (total === 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" p="md" gap="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="sm" c="dimmed" aria-live="polite" data-testid={countTestId}>
        {first}–{last} of {total} {total === 1 ? noun[0] : noun[1]}
      </Text>
      {pages > 1 ? (
        <nav aria-label={`Pages of ${noun[1]}`}>
          <Pagination
            total={pages}
            value={Math.min(page, pages)}
            onChange={onChange}
            size="sm"
            siblings={isNarrow ? 0 : 1}
            getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
            getControlProps={(control) => ({
              'aria-label': control === 'previous' ? 'Previous page' : control === 'next' ? 'Next page' : control === 'first' ? 'First page' : 'Last page',
            })}
          />
        </nav>
      ) : null}
    </Group>
  );
}

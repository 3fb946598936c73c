import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconChartBar, IconTable } from '@tabler/icons-react';
import { useId, useState, type ReactNode } from 'react';

export interface ChartTable {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

interface ChartBlockProps {
  title: string;
  /** What the chart shows, in words: read by everyone, and the chart's name for screen readers. */
  summary: string;
  table: ChartTable;
  testId: string;
  /** The chart; nothing is drawn while the table has no rows. */
  children: ReactNode;
}

/**
 * A chart with a heading and a summary in words, and the same numbers as a table on request, so
 * nobody depends on seeing the picture.
 */
export function ChartBlock({ title, summary, table, testId, children }: ChartBlockProps) {
  const headingId = useId();
  const summaryId = useId();
  const [asTable, setAsTable] = useState(false);
  const empty = table.rows.length === 0;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Title order={4} size="h6" id={headingId}>
          {title}
        </Title>
        {empty ? null : (
          <Button
            size="compact-xs"
            variant="subtle"
            aria-pressed={asTable}
            leftSection={asTable ? <IconChartBar size={14} aria-hidden="true" /> : <IconTable size={14} aria-hidden="true" />}
            onClick={() => setAsTable((v) => !v)}
          >
            {asTable ? 'Show as chart' : 'Show as table'}
          </Button>
        )}
      </Group>
      <Text size="sm" id={summaryId} data-testid={`${testId}-summary`}>
        {summary}
      </Text>
      {empty ? null : asTable ? (
        <Table.ScrollContainer minWidth={280}>
          <Table striped withTableBorder verticalSpacing={4} fz="sm" data-testid={`${testId}-table`}>
            <Table.Caption className="visually-hidden">{table.caption}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {table.columns.map((column) => (
                  <Table.Th key={column} scope="col">
                    {column}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((row, index) => (
                <Table.Tr key={index}>
                  {row.map((cell, column) => (
                    <Table.Td key={column}>{cell}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <div role="img" aria-labelledby={headingId} aria-describedby={summaryId}>
          {children}
        </div>
      )}
    </Stack>
  );
}

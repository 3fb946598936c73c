import { Badge } from '@mantine/core';
import { statusLabel } from './members.ts';

export function StatusBadge({ status, testId = 'member-status' }: { status: string; testId?: string }) {
  const { label, color } = statusLabel(status);
  return (
    <Badge color={color} variant="light" data-testid={testId} style={{ flexShrink: 0 }}>
      {label}
    </Badge>
  );
}

import { Group, Text } from '@mantine/core';

export function LogoMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--mantine-color-motus-7)" />
      <path
        d="M7 22.5V10.5l5.5 7 3.5-4.5 3.5 4.5 5.5-7v12"
        fill="none"
        stroke="#fff"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The product name with its mark, as shown in the top bar and above the sign-in card. */
export function Brand({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const mark = size === 'lg' ? 40 : 30;
  return (
    <Group gap={10} wrap="nowrap">
      <LogoMark size={mark} />
      <Text component="span" fw={700} fz={size === 'lg' ? 26 : 20} lh={1} c="motus.9" style={{ letterSpacing: '-0.01em' }}>
        Motus
      </Text>
    </Group>
  );
}

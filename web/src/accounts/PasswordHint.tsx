import { Group, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import { PASSWORD_MAX, PASSWORD_MIN } from './schemas.ts';

/** The live length rule under a new-password field. */
export function PasswordHint({ password }: { password: string }) {
  const length = password.length;
  const tooLong = length > PASSWORD_MAX;
  const ok = length >= PASSWORD_MIN && !tooLong;
  let text = `At least ${PASSWORD_MIN} characters`;
  if (tooLong) text = `At most ${PASSWORD_MAX} characters · ${length - PASSWORD_MAX} too many`;
  else if (length > 0 && !ok) text += ` · ${PASSWORD_MIN - length} more to go`;
  const Icon = ok ? IconCircleCheck : IconCircleDashed;
  return (
    <Stack component="span" gap={2}>
      <Group component="span" gap={4} wrap="nowrap" data-testid="password-length-hint" data-ok={ok || undefined}>
        <Icon size={14} aria-hidden="true" color={ok ? 'var(--mantine-color-green-7)' : 'currentColor'} />
        <Text component="span" size="xs" c={ok ? 'green.8' : tooLong ? 'red.7' : 'dimmed'}>
          {text}
        </Text>
      </Group>
      <Text component="span" size="xs" c="dimmed">
        Avoid common passwords, your name and your email address.
      </Text>
    </Stack>
  );
}

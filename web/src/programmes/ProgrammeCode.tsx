import { Code, Stack, Text } from '@mantine/core';
import { spelledCode } from '../patients/patients.ts';

/**
 * R-PRG-2: the code a patient opens their programme with, large enough to read out or copy, with
 * how to spell it and where the patient types it.
 */
export function ProgrammeCode({ code }: { code: string }) {
  const address = `${window.location.origin}/programme`;
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        Programme code
      </Text>
      <Text className="programme-code" data-testid="programme-code">
        {code}
      </Text>
      <Text size="sm" c="dimmed" data-testid="programme-code-hint">
        Read it out letter by letter: <strong style={{ whiteSpace: 'nowrap' }}>{spelledCode(code)}</strong>. The patient opens <Code>{address}</Code> and enters the
        code with their year of birth.
      </Text>
    </Stack>
  );
}

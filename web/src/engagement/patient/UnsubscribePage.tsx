import './patient.css';
import { Alert, Box, Button, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconBellOff, IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage, isApiError } from '../../app/api.ts';
import { Brand } from '../../app/Brand.tsx';
import { usePageTitle } from '../../app/ui.tsx';
import { patientApi } from './patientApi.ts';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * R-ENG-4: the link at the foot of a reminder email. Nothing changes until the person presses the
 * button (a mail scanner opening the link does not unsubscribe anyone).
 */
export function UnsubscribePage() {
  usePageTitle('Stop reminder emails');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<'ready' | 'busy' | 'done'>('ready');
  const [problem, setProblem] = useState<string | null>(TOKEN.test(token) ? null : 'This link is not complete. Please use the link in your reminder email.');

  const stop = async () => {
    setState('busy');
    setProblem(null);
    try {
      await patientApi.unsubscribe(token);
      setState('done');
    } catch (error) {
      setState('ready');
      setProblem(
        isApiError(error) && (error.status === 400 || error.status === 404)
          ? 'This link no longer works. You can stop reminders on your programme page, under “Remind me”.'
          : isApiError(error) && error.status === 0
            ? 'You are offline. Please try again when you have a connection.'
            : errorMessage(error),
      );
    }
  };

  return (
    <Box className="patient-page">
      <Container size={560} px="md" py="xl">
        <Group mb="lg" component="header">
          <Brand />
        </Group>
        <Box component="main" id="main" tabIndex={-1} style={{ outline: 'none' }}>
          <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }} data-testid="unsubscribe">
            {state === 'done' ? (
              <Stack gap="md" data-testid="unsubscribe-done" role="status">
                <IconCircleCheck size={40} color="var(--mantine-color-green-8)" aria-hidden="true" />
                <Title order={1} size="h2">
                  Done: no more reminder emails
                </Title>
                <Text>You will not get reminder emails for this programme any more. You can switch them on again on your programme page, under “Remind me”.</Text>
              </Stack>
            ) : (
              <Stack gap="lg">
                <Title order={1} size="h2">
                  Stop reminder emails?
                </Title>
                <Text>Press the button to stop the emails that remind you of your exercises. Your programme stays as it is.</Text>
                {problem ? (
                  <Alert color="red" variant="light" role="alert" data-testid="unsubscribe-error">
                    {problem}
                  </Alert>
                ) : null}
                <Button size="xl" fullWidth color="red" leftSection={<IconBellOff size={26} aria-hidden="true" />} loading={state === 'busy'} disabled={!TOKEN.test(token)} onClick={() => void stop()} data-testid="unsubscribe-button">
                  Stop reminder emails
                </Button>
              </Stack>
            )}
          </Paper>
        </Box>
      </Container>
    </Box>
  );
}

import { Button, Group, Stack, Text } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFoundPage } from './NotFoundPage.tsx';
import { AuthCard } from './ui.tsx';

/** Shown when a page fails to render: a calm message rather than a blank screen. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <AuthCard title="Something went wrong">
      <Stack gap="md">
        <Text c="dimmed">
          This page ran into a problem. Nothing you saved has been lost. Reloading usually helps; if it keeps happening,
          tell whoever runs Motus for your practice.
        </Text>
        <Group>
          <Button onClick={() => window.location.reload()}>Reload the page</Button>
          <Button variant="default" component="a" href="/">
            Go to home
          </Button>
        </Group>
      </Stack>
    </AuthCard>
  );
}

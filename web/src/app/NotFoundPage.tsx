import { Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useSession } from '../sessions/session.tsx';
import { AuthCard } from './ui.tsx';

export function NotFoundPage() {
  const { status } = useSession();
  return (
    <AuthCard title="Page not found">
      <Stack gap="md" data-testid="not-found">
        <Text c="dimmed">The page you asked for doesn't exist or has moved. Check the address, or start again from home.</Text>
        <Button component={Link} to="/" fullWidth>
          {status === 'signed-in' ? 'Go to home' : 'Go to Motus'}
        </Button>
      </Stack>
    </AuthCard>
  );
}

import { Alert, Anchor, Box, Button, Center, Container, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconWifiOff } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { Brand } from './Brand.tsx';

/**
 * Brings the section named by the address's #hash into view and focus, for links from elsewhere
 * ("add a card" → …/billing#payment-methods). The section needs tabIndex={-1}.
 */
export function useScrollToHash(ready = true): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash || !ready) return;
    const target = document.getElementById(hash.slice(1));
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }
  }, [hash, ready]);
}

/** Sets the browser tab title: "Profile · Motus". */
export function usePageTitle(title: string): void {
  useDocumentTitle(title ? `${title} · Motus` : 'Motus');
}

export function FullPageLoader({ label = 'Loading Motus' }: { label?: string }) {
  return (
    <Center mih="100dvh" role="status" aria-live="polite">
      <Stack align="center" gap="sm">
        <Loader color="motus" aria-hidden="true" />
        <Text c="dimmed" size="sm">
          {label}…
        </Text>
      </Stack>
    </Center>
  );
}

export function ConnectionProblem({ onRetry }: { onRetry: () => void }) {
  return (
    <AuthFrame>
      <Paper withBorder shadow="sm" p="xl">
        <Stack align="flex-start">
          <IconWifiOff size={28} aria-hidden="true" color="var(--mantine-color-orange-7)" />
          <Title order={1} size="h3">
            Motus can't be reached
          </Title>
          <Text c="dimmed">Check your connection. Nothing you saved has been lost.</Text>
          <Button onClick={onRetry}>Try again</Button>
        </Stack>
      </Paper>
    </AuthFrame>
  );
}

/** The calm full-page backdrop of the signed-out pages, with the product name on top. */
export function AuthFrame({ children, width = 440 }: { children: ReactNode; width?: number }) {
  return (
    <Box className="auth-background">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <Container size={width} px="md" py={{ base: 'xl', sm: 56 }}>
        <Group justify="center" mb="xl">
          <Anchor component={Link} to="/" underline="never" aria-label="Motus home">
            <Brand size="lg" />
          </Anchor>
        </Group>
        <Box component="main" id="main" tabIndex={-1} style={{ outline: 'none' }}>
          {children}
        </Box>
        <Text ta="center" size="xs" c="dimmed" mt="xl">
          Motus · home-exercise programmes for physiotherapy practices
        </Text>
      </Container>
    </Box>
  );
}

interface AuthCardProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  width?: number;
}

export function AuthCard({ title, description, children, footer, width }: AuthCardProps) {
  usePageTitle(title);
  return (
    <AuthFrame width={width}>
      <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }}>
        <Stack gap={4} mb="lg">
          <Title order={1} size="h2">
            {title}
          </Title>
          {description ? (
            <Text c="dimmed" size="sm">
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Paper>
      {footer ? (
        <Stack gap={6} mt="lg" align="center">
          {footer}
        </Stack>
      ) : null}
    </AuthFrame>
  );
}

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}

export function PageHeader({ title, description, actions }: PageHeaderProps) {
  usePageTitle(title);
  return (
    <Group justify="space-between" align="flex-end" mb="lg" gap="md">
      <Stack gap={4}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {description ? <Text c="dimmed">{description}</Text> : null}
      </Stack>
      {actions}
    </Group>
  );
}

/** The message above a form for a problem that belongs to no single field. */
export function FormError({ message }: { message: ReactNode }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />} role="alert">
      {message}
    </Alert>
  );
}

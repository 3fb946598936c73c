import { Alert, Anchor, Box, Button, Center, Container, Group, Loader, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconRefresh, IconWifiOff, type Icon } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { errorMessage } from './api.ts';
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

export function LoadingBlock({ label }: { label: string }) {
  return (
    <Center py="xl" role="status">
      <Group gap="sm">
        <Loader size="sm" aria-hidden="true" />
        <Text c="dimmed">{label}…</Text>
      </Group>
    </Center>
  );
}

export function ErrorBlock({ error, onRetry, m }: { error: unknown; onRetry?: () => void; m?: string }) {
  return (
    <Alert m={m} color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry ? (
          <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} aria-hidden="true" />} onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ icon: IconComponent, title, children }: { icon: Icon; title: string; children?: ReactNode }) {
  return (
    <Center py={48} px="md">
      <Stack align="center" gap="xs" maw={420}>
        <ThemeIcon size={44} radius="xl" variant="light" aria-hidden="true">
          <IconComponent size={24} />
        </ThemeIcon>
        <Text fw={600} ta="center">
          {title}
        </Text>
        {children ? (
          <Text size="sm" c="dimmed" ta="center" component="div">
            {children}
          </Text>
        ) : null}
      </Stack>
    </Center>
  );
}

/** Rows of "term: value", as a description list. */
export function Facts({ items }: { items: { term: string; value: ReactNode; testId?: string }[] }) {
  return (
    <Stack component="dl" gap="sm" m={0}>
      {items.map((item) => (
        <Group key={item.term} component="div" justify="space-between" align="flex-start" gap="md" wrap="nowrap">
          <Text component="dt" size="sm" c="dimmed" style={{ flexShrink: 0 }}>
            {item.term}
          </Text>
          <Text component="dd" m={0} size="sm" fw={500} ta="right" className="break-anywhere" data-testid={item.testId}>
            {item.value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

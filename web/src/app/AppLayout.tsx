import {
  AppShell,
  Avatar,
  Box,
  Burger,
  Button,
  Container,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconChevronDown,
  IconHistory,
  IconHome,
  IconLogout,
  IconUserCircle,
  type Icon,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAccount, useSession } from '../sessions/session.tsx';
import { Brand } from './Brand.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: Icon;
  description: string;
}

// Sections are added here as they come (organisation console, patients, programmes).
const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'Home', icon: IconHome, description: 'Getting started' },
  { to: '/profile', label: 'Profile', icon: IconUserCircle, description: 'You and your practice' },
  { to: '/activity', label: 'Activity', icon: IconHistory, description: 'Sign-ins and changes' },
];

export function initials(name: string, email: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length >= 2 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0] ?? email).slice(0, 2);
  return letters.toUpperCase();
}

function isActive(pathname: string, to: string): boolean {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const isMobile = useMediaQuery('(max-width: 47.99em)') ?? false;
  const location = useLocation();

  // Following a link on a phone closes the menu it came from.
  useEffect(() => {
    close();
  }, [location.pathname, close]);

  useEffect(() => {
    if (!opened) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [opened, close]);

  const navHidden = isMobile && !opened;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={0}
    >
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <UnstyledButton component={Link} to="/" aria-label="Motus home" style={{ borderRadius: 8 }}>
              <Brand />
            </UnstyledButton>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id="main-navigation" aria-label="Main" p="sm" inert={navHidden}>
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={4}>
            {NAV_ITEMS.map((item) => {
              const active = isActive(location.pathname, item.to);
              return (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  description={item.description}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  leftSection={<item.icon size={20} stroke={1.6} aria-hidden="true" />}
                  variant="light"
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                />
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <SignOutButton />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <Box component="div" id="main" tabIndex={-1} style={{ outline: 'none' }}>
          <Container size="lg" px={{ base: 'md', sm: 'xl' }} py={{ base: 'lg', sm: 'xl' }}>
            <Outlet />
          </Container>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}

function useSignOut() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const onSignOut = async () => {
    setSigningOut(true);
    await signOut();
    notifications.show({ message: 'You have signed out.', color: 'motus' });
    navigate('/sign-in?reason=signed_out', { replace: true });
  };
  return { signingOut, onSignOut };
}

function SignOutButton() {
  const { signingOut, onSignOut } = useSignOut();
  return (
    <Button
      variant="subtle"
      color="gray"
      fullWidth
      justify="flex-start"
      leftSection={<IconLogout size={18} aria-hidden="true" />}
      loading={signingOut}
      onClick={() => void onSignOut()}
    >
      Sign out
    </Button>
  );
}

function UserMenu() {
  const account = useAccount();
  const { signingOut, onSignOut } = useSignOut();

  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton
          aria-label={`Account menu for ${account.name}`}
          px={6}
          py={4}
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
        >
          <Group gap="xs" wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={34} aria-hidden="true">
              {initials(account.name, account.email)}
            </Avatar>
            <Box visibleFrom="sm" maw={200}>
              <Text size="sm" fw={600} truncate>
                {account.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {account.email}
              </Text>
            </Box>
            <IconChevronDown size={16} aria-hidden="true" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {account.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {account.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/profile" leftSection={<IconUserCircle size={16} aria-hidden="true" />}>
          Profile
        </Menu.Item>
        <Menu.Item component={Link} to="/activity" leftSection={<IconHistory size={16} aria-hidden="true" />}>
          Activity
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} aria-hidden="true" />}
          onClick={() => void onSignOut()}
          disabled={signingOut}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

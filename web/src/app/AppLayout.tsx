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
  IconBuildingHospital,
  IconBuildingPlus,
  IconChevronDown,
  IconHistory,
  IconHome,
  IconKey,
  IconLicense,
  IconLogout,
  IconStretching,
  IconUserCircle,
  IconUsers,
  IconWebhook,
  type Icon,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { AccessRemovedNotice, PaymentRequiredNotice, SubscriptionRequiredNotice } from '../organisations/AccessNotices.tsx';
import { useAccessRemoved } from '../organisations/accessRemoved.tsx';
import { consoleOrganisations, landingFor } from '../organisations/landing.ts';
import { usePaymentRequired } from '../organisations/paymentRequiredNotice.tsx';
import { useSubscriptionRequired } from '../organisations/subscriptionRequired.tsx';
import type { WorkspaceView } from '../../../src/organisations/schemas.ts';
import { useWorkspace } from '../organisations/workspace.ts';
import { WorkspacePrompts } from '../organisations/WorkspacePrompts.tsx';
import { useAccount, useSession } from '../sessions/session.tsx';
import { Brand } from './Brand.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: Icon;
  description: string;
}

const HOME_ITEM: NavItem = { to: '/', label: 'Home', icon: IconHome, description: 'Getting started' };

/** The practitioner's own work: only for someone whose licence lets them work now. */
const PRACTITIONER_ITEMS: NavItem[] = [
  { to: '/patients', label: 'Patients', icon: IconUsers, description: 'And their programmes' },
  { to: '/exercises', label: 'Exercises', icon: IconStretching, description: 'The exercise library' },
];

const ACCOUNT_ITEMS: NavItem[] = [
  { to: '/profile', label: 'Profile', icon: IconUserCircle, description: 'You and your practice' },
  { to: '/subscription', label: 'Subscription', icon: IconLicense, description: 'Your licence and billing' },
  { to: '/activity', label: 'Activity', icon: IconHistory, description: 'Sign-ins and changes' },
];

/** R-INT-3: keys are made by someone who can work now; the page stays open to anyone who has keys to revoke. */
const API_KEYS_ITEM: NavItem = { to: '/api-keys', label: 'API keys', icon: IconKey, description: 'Connect other systems' };
/** R-INT-4: likewise, endpoints are added by someone who can work now; /webhooks stays open to delete them. */
const WEBHOOKS_ITEM: NavItem = { to: '/webhooks', label: 'Webhooks', icon: IconWebhook, description: 'Tell other systems at once' };

function accountItemsFor(workspace: WorkspaceView | undefined): NavItem[] {
  if (!workspace?.licence.canWork) return ACCOUNT_ITEMS;
  return [ACCOUNT_ITEMS[0]!, API_KEYS_ITEM, WEBHOOKS_ITEM, ...ACCOUNT_ITEMS.slice(1)];
}

/**
 * The navigation for this person: Patients and Exercises for someone who can work now (home explains
 * why when they cannot); the organisation console for owners and admins. An admin without
 * practitioner access has no practitioner home (their home is the console).
 */
function navItemsFor(workspace: WorkspaceView | undefined): NavItem[] {
  if (!workspace) return [HOME_ITEM, ...ACCOUNT_ITEMS];
  const work = workspace.licence.canWork ? PRACTITIONER_ITEMS : [];
  const account = accountItemsFor(workspace);
  const consoles = consoleOrganisations(workspace);
  const first = consoles[0];
  if (!first) return [HOME_ITEM, ...work, ...account];
  const consoleItem: NavItem = {
    to: `/console/${first.id}`,
    label: 'Organisation console',
    icon: IconBuildingHospital,
    description: consoles.length === 1 ? first.name : `${consoles.length} organisations`,
  };
  const consoleHome = landingFor(workspace).kind === 'console';
  return consoleHome ? [consoleItem, ...work, ...account] : [HOME_ITEM, ...work, consoleItem, ...account];
}

export function initials(name: string, email: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length >= 2 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0] ?? email).slice(0, 2);
  return letters.toUpperCase();
}

function isActive(pathname: string, to: string): boolean {
  if (to === '/') return pathname === '/';
  if (to.startsWith('/console/')) return pathname.startsWith('/console/');
  // A programme's pages belong to its patient.
  if (to === '/patients' && pathname.startsWith('/programmes/')) return true;
  return pathname === to || pathname.startsWith(`${to}/`);
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const isMobile = useMediaQuery('(max-width: 47.99em)') ?? false;
  const location = useLocation();
  const workspace = useWorkspace();
  const navItems = navItemsFor(workspace.data);
  const accessRemoved = useAccessRemoved();
  const removedHere = accessRemoved.notice !== null && accessRemoved.notice.path === location.pathname;
  const paymentRequired = usePaymentRequired();
  const unpaidHere = paymentRequired.notice !== null && paymentRequired.notice.path === location.pathname;
  const subscriptionRequired = useSubscriptionRequired();
  const unlicensedHere = subscriptionRequired.notice !== null && subscriptionRequired.notice.path === location.pathname;
  const account = useAccount();

  // The access-removed, payment-required and subscription-required notices belong to the page whose request was refused.
  const { notice, clear } = accessRemoved;
  useEffect(() => {
    if (notice && notice.path !== location.pathname) clear();
  }, [location.pathname, notice, clear]);
  const { notice: unpaidNotice, clear: clearUnpaid } = paymentRequired;
  useEffect(() => {
    if (unpaidNotice && unpaidNotice.path !== location.pathname) clearUnpaid();
  }, [location.pathname, unpaidNotice, clearUnpaid]);
  const { notice: unlicensedNotice, clear: clearUnlicensed } = subscriptionRequired;
  useEffect(() => {
    if (unlicensedNotice && unlicensedNotice.path !== location.pathname) clearUnlicensed();
  }, [location.pathname, unlicensedNotice, clearUnlicensed]);

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
            {navItems.map((item) => {
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
            <WorkspacePrompts />
            {removedHere && accessRemoved.notice ? (
              <AccessRemovedNotice
                organisation={accessRemoved.notice.organisation}
                contact={accessRemoved.notice.contact}
                fallbackMessage={accessRemoved.notice.message}
                headingOrder={1}
                actions={
                  <Button component={Link} to="/">
                    Go to home
                  </Button>
                }
              />
            ) : unpaidHere && paymentRequired.notice ? (
              <PaymentRequiredNotice
                organisation={paymentRequired.notice.organisation}
                contact={paymentRequired.notice.contact}
                owner={paymentRequired.notice.owner}
                fallbackMessage={paymentRequired.notice.message}
                headingOrder={1}
                actions={
                  <>
                    {paymentRequired.notice.owner && paymentRequired.notice.organisationId ? (
                      <Button component={Link} to={`/console/${paymentRequired.notice.organisationId}/billing#invoices`}>
                        Pay the invoice
                      </Button>
                    ) : null}
                    <Button component={Link} to="/" variant={paymentRequired.notice.owner ? 'default' : 'filled'}>
                      Go to home
                    </Button>
                  </>
                }
              />
            ) : unlicensedHere && subscriptionRequired.notice ? (
              <SubscriptionRequiredNotice
                email={account.email}
                message={subscriptionRequired.notice.message}
                own={workspace.data?.licence.sources.find((source) => source.own) ?? null}
                headingOrder={1}
              />
            ) : (
              <Outlet />
            )}
          </Container>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}

function useSignOut() {
  const { signOut, leaveTo } = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const onSignOut = async () => {
    const to = '/sign-in?reason=signed_out';
    setSigningOut(true);
    // Announced first: once the session is gone, the guard of this page sends the person there too.
    leaveTo(to);
    await signOut();
    notifications.show({ message: 'You have signed out.', color: 'motus' });
    navigate(to, { replace: true });
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
  const workspace = useWorkspace();
  const consoles = workspace.data ? consoleOrganisations(workspace.data) : [];

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
        {workspace.data?.licence.canWork ? (
          <Menu.Item component={Link} to="/api-keys" leftSection={<IconKey size={16} aria-hidden="true" />}>
            API keys
          </Menu.Item>
        ) : null}
        {workspace.data?.licence.canWork ? (
          <Menu.Item component={Link} to="/webhooks" leftSection={<IconWebhook size={16} aria-hidden="true" />}>
            Webhooks
          </Menu.Item>
        ) : null}
        <Menu.Item component={Link} to="/subscription" leftSection={<IconLicense size={16} aria-hidden="true" />}>
          Subscription
        </Menu.Item>
        <Menu.Item component={Link} to="/activity" leftSection={<IconHistory size={16} aria-hidden="true" />}>
          Activity
        </Menu.Item>
        <Menu.Divider />
        {consoles.length === 1 ? (
          <Menu.Item component={Link} to={`/console/${consoles[0]!.id}`} leftSection={<IconBuildingHospital size={16} aria-hidden="true" />}>
            Organisation console
          </Menu.Item>
        ) : consoles.length > 1 ? (
          <>
            <Menu.Label>Organisation console</Menu.Label>
            {consoles.map((o) => (
              <Menu.Item key={o.id} component={Link} to={`/console/${o.id}`} leftSection={<IconBuildingHospital size={16} aria-hidden="true" />}>
                {o.name}
              </Menu.Item>
            ))}
          </>
        ) : null}
        <Menu.Item component={Link} to="/organisations/new" leftSection={<IconBuildingPlus size={16} aria-hidden="true" />}>
          Create organisation
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

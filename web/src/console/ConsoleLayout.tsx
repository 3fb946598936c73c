import { Alert, Anchor, Box, Button, Group, Menu, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBuildingHospital,
  IconCreditCard,
  IconFileImport,
  IconLock,
  IconPlugConnected,
  IconSelector,
  IconShare,
  IconShieldCheck,
  IconTemplate,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ConsoleOrganisationView, MyRightsView, PoolCountsView, PoolSummaryView } from '../../../src/organisations/schemas.ts';
import { Link, Navigate, NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { usePageTitle, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { AccessRemovedNotice } from '../organisations/AccessNotices.tsx';
import { accessRemovedFrom } from '../organisations/accessRemoved.tsx';
import { consoleOrganisations } from '../organisations/landing.ts';
import { useWorkspace } from '../organisations/workspace.ts';
import { organisationBilling } from '../billing/billing.ts';
import { unpaidInvoice } from '../billing/invoices.ts';
import { formatMoney } from '../billing/money.ts';
import { useInvoices } from '../billing/queries.ts';
import { useOrganisation } from '../organisations/queries.ts';
import { consolePagesFor, type ConsolePage, type ConsolePageId } from './sections.ts';

export interface ConsoleContextValue {
  orgId: string;
  organisation: ConsoleOrganisationView;
  me: MyRightsView;
  pages: ConsolePage[];
}

/** The organisation and the caller's rights, for the pages inside the console. */
export function useConsole(): ConsoleContextValue {
  return useOutletContext<ConsoleContextValue>();
}

/**
 * The pool's counts, which the server gives those who hold the Users section (R-ORG-3). Only the
 * Users pages and their dialogs read them, and ConsolePageGuard shows those to holders alone.
 */
export function usePoolCounts(): PoolCountsView {
  const { organisation } = useConsole();
  if (!organisation.licences) throw new Error(`The licences of ${organisation.name} are shown only to those who manage its users.`);
  return organisation.licences;
}

/** The pool with its prices: the owner's alone (R-ORG-3), for Licences & billing. */
export function useOwnerPool(): PoolSummaryView {
  const { organisation } = useConsole();
  const pool = organisation.licences;
  if (!pool || !('unitPriceMinor' in pool)) throw new Error(`The prices of ${organisation.name}'s licences are shown only to its owner.`);
  return pool;
}

const PAGE_ICONS: Record<ConsolePageId, Icon> = {
  users: IconUsers,
  billing: IconCreditCard,
  admins: IconShieldCheck,
  integrations: IconPlugConnected,
  sharing: IconShare,
  defaults: IconTemplate,
  import: IconFileImport,
};

/** /console/:orgId/…: the organisation console, with a navigation of the sections the person holds. */
export function ConsoleLayout() {
  const { orgId = '' } = useParams();
  const query = useOrganisation(orgId);

  if (query.isPending) return <LoadingBlock label="Loading the organisation console" />;
  if (query.isError) return <ConsoleUnavailable error={query.error} onRetry={() => void query.refetch()} />;

  const { organisation, me } = query.data;
  const pages = consolePagesFor(me);
  const context: ConsoleContextValue = { orgId, organisation, me, pages };

  return (
    <Stack gap="lg">
      <ConsoleHeader organisation={organisation} me={me} pages={pages} />
      <Box>
        <Outlet context={context} />
      </Box>
    </Stack>
  );
}

function ConsoleHeader({ organisation, me, pages }: { organisation: ConsoleOrganisationView; me: MyRightsView; pages: ConsolePage[] }) {
  const workspace = useWorkspace();
  const others = workspace.data ? consoleOrganisations(workspace.data).filter((o) => o.id !== organisation.id) : [];
  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon size={40} radius="md" variant="light" aria-hidden="true">
            <IconBuildingHospital size={22} />
          </ThemeIcon>
          <Box style={{ minWidth: 0 }}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} lh={1.3}>
              Organisation console
            </Text>
            <Text fw={700} size="lg" lh={1.3} truncate data-testid="console-organisation">
              {organisation.name}
            </Text>
          </Box>
        </Group>
        {others.length > 0 ? (
          <Menu position="bottom-end" shadow="md" width={260} withinPortal>
            <Menu.Target>
              <Button variant="default" size="xs" rightSection={<IconSelector size={14} aria-hidden="true" />}>
                Switch organisation
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Your other organisations</Menu.Label>
              {others.map((o) => (
                <Menu.Item key={o.id} component={Link} to={`/console/${o.id}`}>
                  {o.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Group>
      {organisation.status === 'payment_required' ? <PaymentRequiredAlert organisation={organisation} me={me} /> : null}
      {pages.length > 0 ? (
        <nav aria-label="Organisation console" className="console-nav">
          <ul>
            {pages.map((page) => {
              const PageIcon = PAGE_ICONS[page.id];
              return (
                <li key={page.id}>
                  <NavLink to={`/console/${organisation.id}/${page.path}`} className="console-nav-link">
                    <PageIcon size={17} stroke={1.7} aria-hidden="true" />
                    <span>{page.label}</span>
                  </NavLink>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}
    </Stack>
  );
}

/**
 * R-LIC-7: while an invoice stays unpaid after its retries, every console page says so. The owner
 * is taken to the invoice to retry the payment; other admins learn who can settle it.
 */
function PaymentRequiredAlert({ organisation, me }: { organisation: ConsoleOrganisationView; me: MyRightsView }) {
  const invoices = useInvoices(organisationBilling(organisation.id), me.owner);
  const unpaid = invoices.data ? unpaidInvoice(invoices.data) : null;
  const title = unpaid ? `Payment required: invoice ${unpaid.number} could not be collected` : 'Payment required';
  return (
    <Alert
      color="red.8"
      variant="filled"
      icon={<IconAlertTriangle size={20} aria-hidden="true" />}
      title={title}
      data-testid="payment-required-alert"
      className="payment-required-alert"
    >
      {me.owner ? (
        <Stack gap="xs" align="flex-start">
          <Text size="sm" c="inherit">
            {unpaid
              ? `${formatMoney(unpaid.totalMinor, unpaid.currency)} could not be charged after several attempts.`
              : 'An invoice could not be collected after several attempts.'}{' '}
            Practitioners of {organisation.name} cannot use Motus until it is paid; patients keep read-only access to
            their programmes. Check the cards on file, then retry the payment.
          </Text>
          <Group gap="xs">
            {unpaid ? (
              <Button component={Link} to={`/console/${organisation.id}/billing/invoices/${unpaid.id}`} size="xs" variant="white" color="red.9">
                Open invoice {unpaid.number}
              </Button>
            ) : null}
            <Button component={Link} to={`/console/${organisation.id}/billing#payment-methods`} size="xs" variant="outline" color="white">
              Check the payment methods
            </Button>
          </Group>
        </Stack>
      ) : (
        <Text size="sm" c="inherit">
          {organisation.name} has an unpaid invoice, so its practitioners cannot use Motus until {organisation.owner.name}{' '}
          (
          <Anchor href={`mailto:${organisation.owner.email}`} inherit c="inherit" underline="always" className="break-anywhere">
            {organisation.owner.email}
          </Anchor>
          ) pays it. Patients keep read-only access to their programmes. The console stays open.
        </Text>
      )}
    </Alert>
  );
}

function ConsoleUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  usePageTitle('Organisation console');
  if (isApiError(error, 'access_removed')) {
    const notice = accessRemovedFrom(error, window.location.pathname);
    return (
      <AccessRemovedNotice
        organisation={notice.organisation}
        contact={notice.contact}
        fallbackMessage={notice.message}
        headingOrder={1}
        actions={
          <Button component={Link} to="/">
            Go to home
          </Button>
        }
      />
    );
  }
  if (isApiError(error, 'not_found')) {
    return (
      <ConsoleMessage icon={IconLock} title="Organisation not found" testId="console-not-found">
        This organisation doesn't exist, or you are not one of its members.
      </ConsoleMessage>
    );
  }
  return <ErrorBlock error={error} onRetry={onRetry} />;
}

export function ConsoleMessage({ icon: IconComponent, title, children, testId }: { icon: Icon; title: string; children: ReactNode; testId?: string }) {
  usePageTitle(title);
  return (
    <Paper withBorder p={{ base: 'lg', sm: 'xl' }} data-testid={testId}>
      <Stack gap="sm" align="flex-start">
        <ThemeIcon size={44} radius="xl" variant="light" color="gray" aria-hidden="true">
          <IconComponent size={24} />
        </ThemeIcon>
        <Title order={1} size="h3">
          {title}
        </Title>
        <Text c="dimmed">{children}</Text>
        <Button component={Link} to="/" variant="default">
          Go to home
        </Button>
      </Stack>
    </Paper>
  );
}

/** /console/:orgId: opens the first section the person holds. */
export function ConsoleIndex() {
  const { pages, organisation } = useConsole();
  const first = pages[0];
  if (first) return <Navigate to={first.path} replace />;
  return (
    <ConsoleMessage icon={IconLock} title="Nothing to manage here yet" testId="console-no-sections">
      You have no console sections with pages in {organisation.name} yet. Ask {organisation.owner.name} if you need
      more rights.
    </ConsoleMessage>
  );
}

/** Shows a console page only to people holding its section (the server checks the same). */
export function ConsolePageGuard({ page, children }: { page: ConsolePageId; children: ReactNode }) {
  const { pages, organisation } = useConsole();
  if (pages.some((p) => p.id === page)) return children;
  return (
    <ConsoleMessage icon={IconLock} title="You can't open this section" testId="console-section-denied">
      {page === 'billing'
        ? `Payments & billing belong to the owner of ${organisation.name}, ${organisation.owner.name}.`
        : `This section of ${organisation.name}'s console has not been given to you. Ask ${organisation.owner.name} or an admin who holds it.`}
    </ConsoleMessage>
  );
}

import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconBuildingHospital,
  IconChevronRight,
  IconCircleCheckFilled,
  IconCreditCard,
  IconHistory,
  IconMail,
  IconPhoto,
  IconShieldLock,
  IconUserCircle,
  type Icon,
} from '@tabler/icons-react';
import { Link, Navigate } from 'react-router';
import { ResendVerificationButton } from '../accounts/ResendVerificationButton.tsx';
import type { AccountView } from '../../../src/accounts/schemas.ts';
import { formatDate, formatWhen } from '../app/format.ts';
import { usePageTitle, LoadingBlock } from '../app/ui.tsx';
import { organisationBilling, SUBSCRIPTION_BILLING } from '../billing/billing.ts';
import { unpaidInvoice } from '../billing/invoices.ts';
import { useInvoices } from '../billing/queries.ts';
import { useMailboxAvailable } from '../dev/mailbox.ts';
import { AttentionList } from '../engagement/practitioner/AttentionList.tsx';
import { AccessRemovedNotice, PaymentRequiredNotice, SubscriptionRequiredNotice } from '../organisations/AccessNotices.tsx';
import { homeNoticeFor, landingFor, paymentRequiredOrganisations, type HomeNotice } from '../organisations/landing.ts';
import type { LicenceSourceView, WorkspaceOrganisationView } from '../../../src/organisations/schemas.ts';
import { useWorkspace } from '../organisations/workspace.ts';
import { useAccount, useSession } from '../sessions/session.tsx';

interface Step {
  id: string;
  title: string;
  description: string;
  done: boolean;
  icon: Icon;
  action?: { label: string; to: string };
}

function setupSteps(account: AccountView): Step[] {
  const practice = account.practice ?? {};
  return [
    {
      id: 'verify-email',
      title: 'Verify your email address',
      description: 'Confirms the address is yours. Needed before your account can hold a licence.',
      done: account.emailVerified,
      icon: IconMail,
    },
    {
      id: 'profile',
      title: 'Complete your profile',
      description: 'Add your profession and a phone number in international format.',
      done: Boolean(account.profession && account.phone),
      icon: IconUserCircle,
      action: { label: 'Edit profile', to: '/profile' },
    },
    {
      id: 'practice',
      title: 'Add your practice details',
      description: 'Name and contact details, printed on the programmes you give patients.',
      done: Boolean(practice.name && (practice.phone || practice.email || practice.address)),
      icon: IconBuildingHospital,
      action: { label: 'Add practice details', to: '/profile' },
    },
    {
      id: 'logo',
      title: 'Upload your practice logo',
      description: 'Patients recognise programmes from your practice at a glance.',
      done: account.hasLogo,
      icon: IconPhoto,
      action: { label: 'Upload logo', to: '/profile#logo' },
    },
  ];
}

/**
 * The practitioner view. An admin without practitioner access lands in the organisation console
 * instead; a person without a licence sees why here (R-PRA-4).
 */
export function HomePage() {
  usePageTitle('Home');
  const workspace = useWorkspace();
  if (workspace.isPending) return <LoadingBlock label="Loading your workspace" />;
  if (workspace.data) {
    const landing = landingFor(workspace.data);
    if (landing.kind === 'console') return <Navigate to={`/console/${landing.organisationId}`} replace />;
  }
  return (
    <HomeContent
      notice={workspace.data ? homeNoticeFor(workspace.data) : null}
      paymentRequired={workspace.data ? paymentRequiredOrganisations(workspace.data) : []}
      canWork={workspace.data?.licence.canWork ?? false}
    />
  );
}

/**
 * R-ENG-6: someone who can work sees what needs their attention first; the set-up checklist stays
 * while steps remain (and for someone who cannot work yet).
 */
function HomeContent({ notice, paymentRequired, canWork }: { notice: HomeNotice; paymentRequired: WorkspaceOrganisationView[]; canWork: boolean }) {
  const account = useAccount();
  const { session } = useSession();
  const steps = setupSteps(account);
  const done = steps.filter((step) => step.done).length;
  const showSetup = done < steps.length || !canWork;
  const firstName = account.name.trim().split(/\s+/)[0] || account.name;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1} size="h2">
          Welcome, {firstName}
        </Title>
        <Text c="dimmed">
          {done < steps.length
            ? "Here's what to do next to get your account ready."
            : canWork
              ? 'Your account is set up. What needs your attention shows here.'
              : 'Your account is set up. New sections appear in the menu as your practice starts using them.'}
        </Text>
      </Stack>

      {!account.emailVerified ? <VerifyEmailBanner email={account.email} /> : null}

      {notice?.kind === 'access_removed'
        ? notice.organisations.map((o, index) => (
            <AccessRemovedNotice
              key={o.id}
              organisation={o.name}
              contact={o.contact}
              actions={
                index === notice.organisations.length - 1 ? (
                  <Button component={Link} to="/subscription" variant="default">
                    Start your own subscription
                  </Button>
                ) : null
              }
            />
          ))
        : null}
      {notice?.kind === 'subscription_required' ? <SubscriptionRequiredNotice email={account.email} message={notice.message} own={notice.own} /> : null}
      {notice?.kind === 'subscription_payment_required' ? <SubscriptionPaymentRequired source={notice.source} message={notice.message} /> : null}
      {notice?.kind === 'no_practitioner_access' ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={20} aria-hidden="true" />} title="No practitioner licence" data-testid="no-practitioner-access">
          {notice.organisations.map((o) =>
            o.owner ? (
              <Text size="sm" key={o.id}>
                You own {o.name} but hold no practitioner licence there, so patients and programmes are not available to you. If
                you treat patients yourself,{' '}
                <Anchor component={Link} to={`/console/${o.id}/users/${o.membershipId}#practitioner-access`} inherit fw={600}>
                  give yourself practitioner access
                </Anchor>
                .
              </Text>
            ) : (
              <Text size="sm" key={o.id}>
                You are a member of {o.name} without practitioner access, so patients and programmes are not available to you.
                Ask {o.contact.name} (<Anchor href={`mailto:${o.contact.email}`} inherit>{o.contact.email}</Anchor>) if you need it.
              </Text>
            ),
          )}
        </Alert>
      ) : null}
      {paymentRequired.map((o) => (
        <HomePaymentRequired key={o.id} organisation={o} />
      ))}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            {canWork ? <AttentionList /> : null}
            {showSetup ? (
              <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="setup-heading">
                <Group justify="space-between" mb="xs" wrap="nowrap">
                  <Title order={2} size="h4" id="setup-heading">
                    Get set up
                  </Title>
                  <Text size="sm" c="dimmed" data-testid="setup-progress">
                    {done} of {steps.length} done
                  </Text>
                </Group>
                <Progress
                  value={(done / steps.length) * 100}
                  size="sm"
                  radius="xl"
                  mb="md"
                  aria-label={`Setup progress: ${done} of ${steps.length} steps done`}
                />
                <Stack gap={0} component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
                  {steps.map((step, index) => (
                    <StepRow key={step.id} step={step} last={index === steps.length - 1} />
                  ))}
                </Stack>
              </Paper>
            ) : null}
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="account-heading">
              <Title order={2} size="h4" id="account-heading" mb="sm">
                Your account
              </Title>
              <Stack gap="xs">
                <Text size="sm" className="break-anywhere">
                  {account.email}
                </Text>
                <Group gap="xs">
                  {account.emailVerified ? (
                    <Badge color="green" variant="light">
                      Email verified
                    </Badge>
                  ) : (
                    <Badge color="yellow" variant="light">
                      Email not verified
                    </Badge>
                  )}
                  {account.isOperator ? (
                    <Badge color="indigo" variant="light">
                      Operator
                    </Badge>
                  ) : null}
                </Group>
                <Text size="sm" c="dimmed">
                  Member since {formatDate(account.createdAt)}
                </Text>
                {session ? (
                  <Text size="sm" c="dimmed">
                    Signed in {formatWhen(session.createdAt)}
                  </Text>
                ) : null}
              </Stack>
            </Paper>

            <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="safety-heading">
              <Group gap="sm" mb="sm" wrap="nowrap">
                <ThemeIcon variant="light" color="indigo" radius="md" aria-hidden="true">
                  <IconShieldLock size={18} />
                </ThemeIcon>
                <Title order={2} size="h4" id="safety-heading">
                  Keep your account yours
                </Title>
              </Group>
              <Text size="sm" c="dimmed">
                Your account is personal and signed in on one device at a time. Every sign-in and change is recorded,
                so you can check nothing happened without you.
              </Text>
              <Button
                component={Link}
                to="/activity"
                variant="light"
                color="indigo"
                mt="md"
                leftSection={<IconHistory size={16} aria-hidden="true" />}
              >
                Review activity
              </Button>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** R-LIC-7: an organisation with an unpaid invoice pauses its practitioners; its owner is shown the way to pay. */
function HomePaymentRequired({ organisation }: { organisation: WorkspaceOrganisationView }) {
  const invoices = useInvoices(organisationBilling(organisation.id), organisation.owner);
  const unpaid = invoices.data ? unpaidInvoice(invoices.data) : null;
  return (
    <PaymentRequiredNotice
      organisation={organisation.name}
      contact={organisation.contact}
      owner={organisation.owner}
      practising={organisation.practitioner}
      actions={
        organisation.owner ? (
          <Button
            component={Link}
            to={unpaid ? `/console/${organisation.id}/billing/invoices/${unpaid.id}` : `/console/${organisation.id}/billing#invoices`}
            leftSection={<IconCreditCard size={18} aria-hidden="true" />}
          >
            {unpaid ? `Open invoice ${unpaid.number}` : 'Pay the invoice'}
          </Button>
        ) : null
      }
    />
  );
}

/**
 * R-LIC-7 for an individual subscription with an unpaid invoice: the subscriber is taken to it; a
 * colleague learns who pays it (R-SUB-4).
 */
function SubscriptionPaymentRequired({ source, message }: { source: LicenceSourceView; message: string }) {
  const invoices = useInvoices(SUBSCRIPTION_BILLING, source.own);
  const unpaid = invoices.data ? unpaidInvoice(invoices.data) : null;
  if (!source.own) return <PaymentRequiredNotice organisation={source.name} contact={source.managedBy} />;
  return (
    <PaymentRequiredNotice
      organisation={null}
      contact={null}
      fallbackMessage={message}
      actions={
        <Button
          component={Link}
          to={unpaid ? SUBSCRIPTION_BILLING.invoicePage(unpaid.id) : `${SUBSCRIPTION_BILLING.page}#invoices`}
          leftSection={<IconCreditCard size={18} aria-hidden="true" />}
        >
          {unpaid ? `Open invoice ${unpaid.number}` : 'Pay the invoice'}
        </Button>
      }
    />
  );
}

function StepRow({ step, last }: { step: Step; last: boolean }) {
  return (
    <Group
      component="li"
      wrap="nowrap"
      align="flex-start"
      gap="md"
      py="md"
      style={last ? undefined : { borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid={`setup-step-${step.id}`}
      data-done={step.done || undefined}
    >
      {step.done ? (
        <ThemeIcon color="green" variant="light" radius="xl" size={36} aria-hidden="true">
          <IconCircleCheckFilled size={20} />
        </ThemeIcon>
      ) : (
        <ThemeIcon color="motus" variant="light" radius="xl" size={36} aria-hidden="true">
          <step.icon size={20} />
        </ThemeIcon>
      )}
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Text fw={600}>
          {step.title}
          {step.done ? (
            <Text component="span" size="sm" c="green.8" fw={500} ml={8}>
              Done
            </Text>
          ) : null}
        </Text>
        <Text size="sm" c="dimmed">
          {step.description}
        </Text>
        {!step.done && step.action ? (
          <Anchor component={Link} to={step.action.to} size="sm" fw={600} mt={4} w="fit-content">
            <Group gap={2} component="span">
              {step.action.label}
              <IconChevronRight size={14} aria-hidden="true" />
            </Group>
          </Anchor>
        ) : null}
      </Stack>
    </Group>
  );
}

function VerifyEmailBanner({ email }: { email: string }) {
  const mailbox = useMailboxAvailable();
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconMail size={20} aria-hidden="true" />}
      title="Please verify your email address"
      data-testid="verify-email-banner"
    >
      <Stack gap="sm">
        <Text size="sm">
          We sent a link to <strong className="break-anywhere">{email}</strong>. Open it to confirm the address is yours.
        </Text>
        <Group gap="sm">
          <ResendVerificationButton size="xs" variant="white" color="dark" />
          {mailbox ? (
            <Anchor component={Link} to="/dev/mailbox" size="sm">
              Open the development mailbox
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Alert>
  );
}

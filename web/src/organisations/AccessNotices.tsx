import { Anchor, Button, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuildingPlus, IconCreditCardOff, IconLicense, IconUserOff } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import { startActionLabel } from '../subscriptions/subscription.ts';
import type { LicenceSourceView } from '../../../src/organisations/schemas.ts';

interface AccessRemovedNoticeProps {
  organisation: string | null;
  contact: { name: string; email: string } | null;
  /** The server's own sentence, used when the details are missing. */
  fallbackMessage?: string;
  /** 1 when the notice is the page itself, 2 inside another page. */
  headingOrder?: 1 | 2;
  actions?: ReactNode;
}

/** R-PRA-4: "<Organisation> removed your access to Motus. Contact <name> (<email>)." */
export function AccessRemovedNotice({ organisation, contact, fallbackMessage, headingOrder = 2, actions }: AccessRemovedNoticeProps) {
  const headingId = `access-removed-heading-${headingOrder}`;
  return (
    <Paper
      withBorder
      shadow="sm"
      p={{ base: 'lg', sm: 'xl' }}
      component="section"
      aria-labelledby={headingId}
      data-testid="access-removed-notice"
      style={{ borderColor: 'var(--mantine-color-red-3)' }}
    >
      <Stack gap="md" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={40} radius="xl" color="red" variant="light" aria-hidden="true">
            <IconUserOff size={22} />
          </ThemeIcon>
          <Title order={headingOrder} size="h3" id={headingId}>
            Your access was removed
          </Title>
        </Group>
        {organisation ? (
          <Text size="lg">
            {organisation} removed your access to Motus.
            {contact ? (
              <>
                {' '}
                Contact {contact.name} (
                <Anchor href={`mailto:${contact.email}`} inherit className="break-anywhere">
                  {contact.email}
                </Anchor>
                ).
              </>
            ) : null}
          </Text>
        ) : (
          <Text size="lg">{fallbackMessage ?? 'Your organisation removed your access to Motus.'}</Text>
        )}
        <Text c="dimmed" size="sm">
          You can no longer see the organisation's patients or shared content. Your own account stays yours: your
          profile and your activity are still here. Without a licence, using Motus on your own needs a subscription of
          your own, which starts with a free trial.
        </Text>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Stack>
    </Paper>
  );
}

interface SubscriptionRequiredNoticeProps {
  email: string;
  /** The server's sentence (why there is no licence, and what to do); a general one without it. */
  message: string | null;
  /** The person's own subscription, when they had one (it has ended): they restart it. */
  own: LicenceSourceView | null;
  /** 1 when the notice is the page itself (a refused request replaced it), 2 inside home. */
  headingOrder?: 1 | 2;
}

/**
 * R-PRA-4, R-SUB-1: a person without a working licence: their own subscription ended (restart it),
 * a colleague's subscription ended (ask them, or start one's own), or they never had one (a free
 * trial, an invitation from a practice, or an organisation of their own).
 */
export function SubscriptionRequiredNotice({ email, message, own, headingOrder = 2 }: SubscriptionRequiredNoticeProps) {
  const action = startActionLabel(own?.subscription ? own.subscription : null) ?? 'Restart subscription';
  return (
    <Paper
      withBorder
      shadow="sm"
      p={{ base: 'lg', sm: 'xl' }}
      component="section"
      aria-labelledby="subscription-required-heading"
      data-testid="subscription-required-notice"
      style={{ borderColor: 'var(--mantine-color-orange-3)' }}
    >
      <Stack gap="md" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={40} radius="xl" color="orange" variant="light" aria-hidden="true">
            <IconLicense size={22} />
          </ThemeIcon>
          <Title order={headingOrder} size="h3" id="subscription-required-heading">
            A subscription is required
          </Title>
        </Group>
        <Text>{message ?? 'Your account does not hold a licence yet, so patients and exercise programmes are not available to you.'}</Text>
        {own ? (
          <Button component={Link} to="/subscription" leftSection={<IconLicense size={18} aria-hidden="true" />}>
            {action}
          </Button>
        ) : (
          <>
            <List spacing="xs" size="sm">
              <List.Item>
                <strong>Working on your own?</strong> Start a free trial of your own subscription: no card needed. You can
                add colleagues to it later.
              </List.Item>
              <List.Item>
                <strong>Working in a practice that uses Motus?</strong> Ask its owner or an admin to invite{' '}
                <span className="break-anywhere">{email}</span>. The invitation will show up here.
              </List.Item>
              <List.Item>
                <strong>Running a practice?</strong> Create an organisation for it: you become its owner, buy licences and
                invite your colleagues.
              </List.Item>
            </List>
            <Group gap="sm">
              <Button component={Link} to="/subscription" leftSection={<IconLicense size={18} aria-hidden="true" />}>
                {action}
              </Button>
              <Button component={Link} to="/organisations/new" variant="default" leftSection={<IconBuildingPlus size={18} aria-hidden="true" />}>
                Create an organisation
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

interface PaymentRequiredNoticeProps {
  organisation: string | null;
  contact: { name: string; email: string } | null;
  /** Whether the person reading owns the organisation (and can pay). */
  owner?: boolean;
  /** Whether the person reading practises there (and so is paused too). */
  practising?: boolean;
  /** The server's own sentence, used when the organisation is not known. */
  fallbackMessage?: string;
  /** 1 when the notice is the page itself, 2 inside another page. */
  headingOrder?: 1 | 2;
  actions?: ReactNode;
}

/**
 * R-LIC-7: "<Organisation> has an unpaid invoice: Motus is paused for its practitioners. Contact
 * <owner> (<email>)." Patients keep read-only access meanwhile.
 */
export function PaymentRequiredNotice({ organisation, contact, owner = false, practising = true, fallbackMessage, headingOrder = 2, actions }: PaymentRequiredNoticeProps) {
  const headingId = useId();
  return (
    <Paper
      withBorder
      shadow="sm"
      p={{ base: 'lg', sm: 'xl' }}
      component="section"
      aria-labelledby={headingId}
      data-testid="payment-required-notice"
      style={{ borderColor: 'var(--mantine-color-red-3)' }}
    >
      <Stack gap="md" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={40} radius="xl" color="red" variant="light" aria-hidden="true">
            <IconCreditCardOff size={22} />
          </ThemeIcon>
          <Title order={headingOrder} size="h3" id={headingId}>
            Payment required
          </Title>
        </Group>
        {organisation ? (
          owner ? (
            <Text size="lg">
              {organisation} has an unpaid invoice, so Motus is paused for its practitioners{practising ? ', you included' : ''}.
              As its owner, you can pay it from the organisation console.
            </Text>
          ) : (
            <Text size="lg">
              {organisation} has an unpaid invoice, so Motus is paused for its practitioners.
              {contact ? (
                <>
                  {' '}
                  Contact {contact.name} (
                  <Anchor href={`mailto:${contact.email}`} inherit className="break-anywhere">
                    {contact.email}
                  </Anchor>
                  ), who can pay it.
                </>
              ) : null}
            </Text>
          )
        ) : (
          <Text size="lg">{fallbackMessage ?? 'Your organisation has an unpaid invoice, so Motus is paused for its practitioners.'}</Text>
        )}
        <Text c="dimmed" size="sm">
          {practising ? 'Your patients' : 'Patients'} can still read their programmes. Nothing is lost: patients, programmes
          and accounts are kept, and everything is back as soon as the invoice is paid.
        </Text>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Stack>
    </Paper>
  );
}

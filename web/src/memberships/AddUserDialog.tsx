import { Alert, Anchor, Button, Checkbox, Divider, Group, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconSend, IconShoppingCart } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { membershipContracts, type InviteRequest } from '../../../src/memberships/schemas.ts';
import type { AdminSection, ConsoleOrganisationView, MyRightsView } from '../../../src/organisations/schemas.ts';
import { call, ApiError, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { formatDate } from '../app/format.ts';
import { applyServerErrors } from '../app/forms.ts';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { firstName } from './members.ts';
import { formatMoney } from '../billing/money.ts';
import { usePoolCounts } from '../console/ConsoleLayout.tsx';
import { organisationKey } from '../app/queryKeys.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { showChangedPrice } from '../licences/priceChanged.ts';
import { useQuote } from '../licences/queries.ts';
import { QuoteBox } from '../licences/QuoteBox.tsx';
import { addUserSchema, type AddUserValues } from './schemas.ts';
import { SECTION_DESCRIPTIONS, SECTION_LABELS, SECTION_ORDER } from '../console/sections.ts';
import type { QuoteView as Quote } from '../../../src/licences/schemas.ts';

interface AddUserDialogProps {
  opened: boolean;
  onClose: () => void;
  organisation: ConsoleOrganisationView;
  me: MyRightsView;
}

const INITIAL: AddUserValues = { name: '', email: '', practitioner: true, admin: false, sections: [] };

const isSection = (value: string): value is AdminSection => (SECTION_ORDER as readonly string[]).includes(value);

/**
 * R-PRA-1, R-LIC-2: invite a practitioner (or an admin). Before confirming, the dialog shows
 * whether a free licence is used or the exact prorated price of the one that will be bought.
 */
export function AddUserDialog({ opened, onClose, organisation, me }: AddUserDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title="Add a user" size="lg">
      {opened ? <AddUserForm organisation={organisation} me={me} onDone={onClose} /> : null}
    </Dialog>
  );
}

type Problem = { message: ReactNode; tone: 'red' | 'orange' };

function AddUserForm({ organisation, me, onDone }: { organisation: ConsoleOrganisationView; me: MyRightsView; onDone: () => void }) {
  const orgId = organisation.id;
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [priceChanged, setPriceChanged] = useState(false);

  const form = useForm<AddUserValues>({
    initialValues: INITIAL,
    validate: schemaResolver(addUserSchema, { sync: true }),
    validateInputOnBlur: ['name', 'email'],
  });

  const { currency } = usePoolCounts();
  const practitioner = form.values.practitioner;
  const quote = useQuote(orgId, 1, false, practitioner);
  const current: Quote | undefined = practitioner ? quote.data : undefined;
  const buying = practitioner && (current?.quantity ?? 0) > 0;
  const blocked = buying && Boolean(current?.paymentMethodRequired);
  const who = form.values.name.trim() ? firstName(form.values.name) : 'this person';

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    const body: InviteRequest = {
      name: values.name.trim(),
      email: values.email.trim(),
      practitioner: values.practitioner,
    };
    if (values.admin) body.admin = { sections: values.sections.filter(isSection) };
    if (values.practitioner && current && current.quantity > 0) body.confirmedChargeMinor = current.amountMinor;
    try {
      const answer = await call(membershipContracts.invite, { params: { orgId }, body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } });
      keeper.reset();
      await refreshOrganisation(queryClient, orgId);
      notifications.show({
        color: 'motus',
        title: `Invitation sent to ${answer.member.name}`,
        message: answer.licenceBought
          ? `One licence was bought for ${formatMoney(answer.chargeMinor, currency)}. ${answer.member.email} can accept until ${formatDate(answer.member.invitationExpiresAt)}.`
          : `${answer.member.email} has an email with a link to join, open until ${formatDate(answer.member.invitationExpiresAt)}.`,
      });
      onDone();
    } catch (error) {
      setProblem(await explain(error));
    }
  });

  async function explain(error: unknown): Promise<Problem | null> {
    if (await showChangedPrice(error, queryClient, [...organisationKey(orgId), 'quote', 1, false], quote.refetch)) {
      setPriceChanged(true);
      return null;
    }
    if (isApiError(error, 'payment_method_required')) {
      await quote.refetch();
      return { tone: 'red', message: <PaymentMethodMessage error={error} isOwner={me.owner} ownerName={organisation.owner.name} orgId={orgId} /> };
    }
    if (isApiError(error, 'already_invited') || isApiError(error, 'already_member')) {
      const memberId = (error.details as { memberId?: string } | undefined)?.memberId;
      form.setFieldError('email', isApiError(error, 'already_invited') ? 'Already invited to this organisation.' : 'Already a member of this organisation.');
      return memberId
        ? {
            tone: 'orange',
            message: (
              <>
                {error.message}{' '}
                <Anchor component={Link} to={`/console/${orgId}/users/${memberId}`} inherit fw={600} onClick={onDone}>
                  Open their details
                </Anchor>
              </>
            ),
          }
        : null;
    }
    const message = applyServerErrors(form, error, ['name', 'email']);
    return message ? { tone: 'red', message } : null;
  }

  const held = new Set<AdminSection>(me.sections);
  const adminError = form.errors.sections;
  const accessError = form.errors.practitioner;

  const noLicenceNeeded = practitioner
    ? undefined
    : `No licence is needed: without practitioner access, ${who === 'this person' ? 'this person' : who} only uses the organisation console.`;

  return (
    <form onSubmit={submit} noValidate aria-label="Add a user">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          They get an email with a link to join {organisation.name}. Until they accept they are listed as unconfirmed,
          and the invitation can be re-sent or revoked.
        </Text>
        {problem ? (
          <Alert color={problem.tone} variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            {problem.message}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label="Name" autoComplete="off" required withAsterisk={false} data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="Email"
            type="email"
            inputMode="email"
            autoComplete="off"
            required
            withAsterisk={false}
            {...form.getInputProps('email')}
          />
        </SimpleGrid>

        <Divider />

        <Stack gap="sm">
          <Switch
            label="Practitioner access"
            description="Sees patients and builds exercise programmes. Uses one licence."
            {...form.getInputProps('practitioner', { type: 'checkbox' })}
            error={accessError}
          />
          <Switch
            label="Console admin"
            description="Helps run this console, with the sections you tick."
            {...form.getInputProps('admin', { type: 'checkbox' })}
            onChange={(event) => {
              form.setFieldValue('admin', event.currentTarget.checked);
              form.clearFieldError('practitioner');
              if (!event.currentTarget.checked) form.setFieldValue('sections', []);
            }}
          />
          {form.values.admin ? (
            <Checkbox.Group
              label="Console sections"
              description={
                me.owner ? 'Payments & billing stay with the owner.' : 'You can only give sections you hold yourself.'
              }
              value={form.values.sections}
              onChange={(value) => {
                form.setFieldValue('sections', value);
                form.clearFieldError('sections');
              }}
              error={adminError}
              pl={{ base: 0, sm: 'xl' }}
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
                {SECTION_ORDER.map((section) => (
                  <Checkbox
                    key={section}
                    value={section}
                    label={SECTION_LABELS[section]}
                    description={held.has(section) ? SECTION_DESCRIPTIONS[section] : 'You do not hold this section'}
                    disabled={!held.has(section)}
                  />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          ) : null}
        </Stack>

        <QuoteBox
          quote={current}
          loading={quote.isFetching}
          error={quote.error}
          onRetry={() => {
            setPriceChanged(false);
            void quote.refetch();
          }}
          doing={`Adding ${who}`}
          billingMode={organisation.billingMode}
          orgId={orgId}
          isOwner={me.owner}
          ownerName={organisation.owner.name}
          noLicenceNeeded={noLicenceNeeded}
          notice={
            priceChanged ? (
              <Text size="sm" fw={600} c="orange.9">
                The licences changed while this dialog was open. Check the price again before confirming.
              </Text>
            ) : null
          }
        />

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={form.submitting}
            disabled={blocked || (practitioner && !current)}
            leftSection={buying ? <IconShoppingCart size={16} aria-hidden="true" /> : <IconSend size={16} aria-hidden="true" />}
          >
            {buying ? 'Confirm and buy licence' : 'Send invitation'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function PaymentMethodMessage({ error, isOwner, ownerName, orgId }: { error: ApiError; isOwner: boolean; ownerName: string; orgId: string }) {
  const link = (error.details as { link?: string } | undefined)?.link ?? `/console/${orgId}/billing`;
  return (
    <>
      {error.message}{' '}
      {isOwner ? (
        <Anchor component={Link} to={`${link}#payment-methods`} inherit fw={600}>
          Go to Licences &amp; billing
        </Anchor>
      ) : (
        <>Ask {ownerName} to add one.</>
      )}
    </>
  );
}

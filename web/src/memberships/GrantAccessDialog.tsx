import { Button, Checkbox, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShoppingCart, IconUserCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { membershipContracts, type MemberView } from '../../../src/memberships/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { PaymentMethodMessage } from './AddUserDialog.tsx';
import { plural } from '../app/format.ts';
import { useConsole, usePoolCounts } from '../console/ConsoleLayout.tsx';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { DialogButtons, ProblemAlert, type MemberDialogProps } from './MemberDialogParts.tsx';
import { firstName } from './members.ts';
import { formatMoney } from '../billing/money.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { useProgrammeCounts } from '../programmes/queries.ts';
import { showChangedPrice } from '../licences/priceChanged.ts';
import { useQuote } from '../licences/queries.ts';
import { QuoteBox } from '../licences/QuoteBox.tsx';

/** R-PRA-5: granting access again restores the previous roles; a practitioner needs a licence, bought at the price shown (R-LIC-2). */
export function GrantAccessDialog({ member, opened, onClose }: MemberDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Grant ${member.name} access again?`} size="md">
      {opened ? <GrantAccessForm member={member} onClose={onClose} /> : null}
    </Dialog>
  );
}

function GrantAccessForm({ member, onClose }: { member: MemberView; onClose: () => void }) {
  const { orgId, me, organisation } = useConsole();
  const { currency } = usePoolCounts();
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const needsLicence = member.roles.practitioner;
  const quote = useQuote(orgId, 1, false, needsLicence);
  const [priceChanged, setPriceChanged] = useState(false);
  const [problem, setProblem] = useState<ReactNode>(null);
  const current = needsLicence ? quote.data : undefined;
  const buying = (current?.quantity ?? 0) > 0;
  const blocked = buying && Boolean(current?.paymentMethodRequired);
  const counts = useProgrammeCounts(orgId, member.id);
  const paused = counts.data?.disabledByRemoval ?? 0;
  const [reactivate, setReactivate] = useState(true);

  const grant = useMutation({
    mutationFn: (body: { confirmedChargeMinor?: number; reactivateProgrammes: boolean }) =>
      call(membershipContracts.grantAccess, { params: { orgId, memberId: member.id }, body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } }),
    onSuccess: async (answer, body) => {
      keeper.reset();
      await refreshOrganisation(queryClient, orgId);
      const reactivated = body.reactivateProgrammes && paused > 0 ? ` ${plural(paused, 'paused programme is', 'paused programmes are')} active again.` : '';
      notifications.show({
        color: 'motus',
        title: `${member.name} has access again`,
        message:
          (answer.licenceBought
            ? `One licence was bought for ${formatMoney(answer.chargeMinor, currency)}. Their previous roles are back.`
            : 'Their previous roles are back.') + reactivated,
      });
      onClose();
    },
    onError: async (error) => {
      if (await showChangedPrice(error, queryClient, [...organisationKey(orgId), 'quote', 1, false], quote.refetch)) {
        setPriceChanged(true);
        setProblem(null);
      } else if (isApiError(error, 'payment_method_required')) {
        await quote.refetch();
        setProblem(<PaymentMethodMessage error={error} isOwner={me.owner} ownerName={organisation.owner.name} orgId={orgId} />);
      } else {
        setProblem(errorMessage(error));
      }
    },
  });

  const confirm = () => {
    setProblem(null);
    const reactivateProgrammes = paused > 0 && reactivate;
    grant.mutate(buying && current ? { confirmedChargeMinor: current.amountMinor, reactivateProgrammes } : { reactivateProgrammes });
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        {firstName(member.name)} can use Motus in {organisation.name} again, with the roles they had before.
      </Text>
      <QuoteBox
        quote={current}
        loading={quote.isFetching}
        error={quote.error}
        onRetry={() => {
          setPriceChanged(false);
          void quote.refetch();
        }}
        doing={`Granting ${firstName(member.name)} access again`}
        billingMode={organisation.billingMode}
        orgId={orgId}
        isOwner={me.owner}
        ownerName={organisation.owner.name}
        noLicenceNeeded={needsLicence ? undefined : 'No licence is needed: they have no practitioner access.'}
        notice={
          priceChanged ? (
            <Text size="sm" fw={600} c="orange.9">
              The licences changed meanwhile. Check the price again before confirming.
            </Text>
          ) : null
        }
      />
      {paused > 0 ? (
        <Checkbox
          checked={reactivate}
          onChange={(event) => setReactivate(event.currentTarget.checked)}
          label={`Re-activate the ${plural(paused, 'programme', 'programmes')} paused when access was removed`}
          description="Their patients can follow them again at once, with the same codes. Left unticked, they stay paused."
        />
      ) : null}
      <ProblemAlert>{problem}</ProblemAlert>
      <DialogButtons onCancel={onClose}>
        <Button
          loading={grant.isPending}
          disabled={blocked || (needsLicence && !current) || counts.isPending}
          onClick={confirm}
          leftSection={buying ? <IconShoppingCart size={16} aria-hidden="true" /> : <IconUserCheck size={16} aria-hidden="true" />}
        >
          {buying ? 'Confirm and buy licence' : 'Grant access again'}
        </Button>
      </DialogButtons>
    </Stack>
  );
}

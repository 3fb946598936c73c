/** The link of a practitioner's account to the practice management system (R-INT-1): the PMS's name and token, then the Motus key for it, once. */
import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconAlertTriangle, IconPlugConnected } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { LinkInput } from '../../../src/integrations/schemas.ts';
import { Dialog } from '../app/Dialog.tsx';
import { applyServerErrors } from '../app/forms.ts';
import { FormError } from '../app/ui.tsx';
import { KeyOnce } from './ApiKeysParts.tsx';
import { pmsLinkSchema, type PmsLinkValues } from './keys.ts';
import { refreshIntegrations } from './keysQueries.ts';

interface PmsLinkDialogProps {
  opened: boolean;
  onClose: () => void;
  /** "you" for one's own account, else the practitioner's name. */
  who: string;
  organisationName: string;
  /** The PMS of the link this one replaces, if any: its key stops working. */
  replaces: string | null;
  /** Sends the link; answers the Motus key issued for the PMS. */
  send: (body: Pick<LinkInput, 'pmsName' | 'pmsToken'>) => Promise<{ token: string }>;
}

export function PmsLinkDialog({ opened, onClose, who, organisationName, replaces, send }: PmsLinkDialogProps) {
  const [made, setMade] = useState<{ token: string; pmsName: string } | null>(null);
  const close = () => {
    setMade(null);
    onClose();
  };
  return (
    <Dialog opened={opened} onClose={close} title={made ? 'Linked: the key for the PMS' : 'Link to the practice management system'} size="lg" closeOnClickOutside={made === null}>
      {!opened ? null : made ? (
        <KeyOnce token={made.token} onDone={close}>
          <Text size="sm">
            Enter this key in {made.pmsName}. With it, {made.pmsName} works with Motus as {who} in {organisationName}.
          </Text>
        </KeyOnce>
      ) : (
        <PmsLinkForm who={who} organisationName={organisationName} replaces={replaces} send={send} onMade={setMade} onCancel={close} />
      )}
    </Dialog>
  );
}

const FIELDS = ['pmsName', 'pmsToken'] as const;

function PmsLinkForm({ who, organisationName, replaces, send, onMade, onCancel }: Omit<PmsLinkDialogProps, 'opened' | 'onClose'> & { onMade: (made: { token: string; pmsName: string }) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<PmsLinkValues>({
    initialValues: { pmsName: replaces ?? '', pmsToken: '' },
    validate: schemaResolver(pmsLinkSchema, { sync: true }),
    validateInputOnBlur: true,
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    const pmsName = values.pmsName.trim();
    try {
      const answer = await send({ pmsName, pmsToken: values.pmsToken.trim() });
      await refreshIntegrations(queryClient);
      onMade({ token: answer.token, pmsName });
    } catch (error) {
      // A refusal such as 409 invitation_not_accepted has no field: its message shows above the form.
      setProblem(applyServerErrors(form, error, FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Link to the practice management system">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Motus keeps the PMS token encrypted and never shows it again. In return it makes a Motus API key for the PMS, so the PMS
          can work with Motus as {who} in {organisationName}.
        </Text>
        {replaces ? (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            This replaces the link to {replaces}. The key made for it stops working at once.
          </Alert>
        ) : null}
        <FormError message={problem} />
        <TextInput label="PMS name" placeholder="e.g. Medatixx" size="md" autoComplete="off" required withAsterisk={false} data-autofocus {...form.getInputProps('pmsName')} />
        <PasswordInput
          label="PMS token"
          description="From the PMS's settings: the token Motus uses to reach it"
          size="md"
          // Never the person's own saved password: a PMS token is a new secret.
          autoComplete="new-password"
          required
          withAsterisk={false}
          {...form.getInputProps('pmsToken')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting} leftSection={<IconPlugConnected size={18} aria-hidden="true" />}>
            Link
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "New key" for a practitioner (acting as them) and for an organisation (reading its console), then the key's one showing (R-INT-3). */
import { Alert, Button, Checkbox, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconInfoCircle, IconKey } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { integrationContracts, SCOPE_LABELS } from '../../../src/integrations/schemas.ts';
import { call } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { applyServerErrors } from '../app/forms.ts';
import { FormError } from '../app/ui.tsx';
import { KeyOnce } from './ApiKeysParts.tsx';
import {
  expiryFromDay,
  localDay,
  newOrgKeySchema,
  newOwnKeySchema,
  PRACTITIONER_SCOPE_OPTIONS,
  PRACTITIONER_SCOPES,
  type NewOrgKeyValues,
  type NewOwnKeyValues,
  type PracticeOption,
} from './keys.ts';
import { refreshIntegrations } from './keysQueries.ts';

interface NewKeyDialogProps {
  opened: boolean;
  onClose: () => void;
}

/** The dialog of a new key: the form, then (once made) the key itself, which closing hides for good. */
function NewKeyFrame({ opened, onClose, title, form }: NewKeyDialogProps & { title: string; form: (onMade: (token: string) => void) => ReactNode }) {
  const [token, setToken] = useState<string | null>(null);
  const close = () => {
    setToken(null);
    onClose();
  };
  return (
    <Dialog opened={opened} onClose={close} title={token ? 'Your new key' : title} size="lg" closeOnClickOutside={token === null}>
      {!opened ? null : token ? <KeyOnce token={token} onDone={close} /> : form(setToken)}
    </Dialog>
  );
}

/** A key that acts as the practitioner, with the scopes they choose, optionally for one practice and until a day. */
export function NewOwnKeyDialog({ opened, onClose, practices }: NewKeyDialogProps & { practices: PracticeOption[] }) {
  return <NewKeyFrame opened={opened} onClose={onClose} title="New API key" form={(onMade) => <NewOwnKeyForm practices={practices} onMade={onMade} onCancel={onClose} />} />;
}

const OWN_FIELDS = ['name', 'scopes', 'expiresAt', 'organisationId'] as const;

function NewOwnKeyForm({ practices, onMade, onCancel }: { practices: PracticeOption[]; onMade: (token: string) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<NewOwnKeyValues>({
    initialValues: { name: '', scopes: [], expiresAt: '', organisationId: '' },
    validate: schemaResolver(newOwnKeySchema, { sync: true }),
    validateInputOnBlur: ['name', 'expiresAt'],
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(integrationContracts.createOwnKey, {
        body: {
          name: values.name.trim(),
          scopes: PRACTITIONER_SCOPES.filter((scope) => values.scopes.includes(scope)),
          expiresAt: values.expiresAt.trim() ? expiryFromDay(values.expiresAt) : null,
          organisationId: values.organisationId || null,
        },
      });
      await refreshIntegrations(queryClient);
      onMade(answer.token);
    } catch (error) {
      setProblem(applyServerErrors(form, error, OWN_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="New API key">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          A key lets another system, such as your practice management system, work with Motus as you. It can do only what you
          tick here, and stops working if your licence does.
        </Text>
        <FormError message={problem} />
        <TextInput label="Name" description="So you know later what uses it" placeholder="e.g. Practice PMS" size="md" autoComplete="off" required withAsterisk={false} data-autofocus {...form.getInputProps('name')} />
        <Checkbox.Group label="What it may do" withAsterisk={false} {...form.getInputProps('scopes')}>
          <Stack gap="sm" mt="xs">
            {PRACTITIONER_SCOPE_OPTIONS.map((option) => (
              <Checkbox key={option.value} value={option.value} label={option.label} size="md" />
            ))}
          </Stack>
        </Checkbox.Group>
        {practices.length > 0 ? (
          <NativeSelect
            label="Practice"
            description="Limit the key to one practice, or let it work in all of them"
            size="md"
            data={[{ value: '', label: 'All practices where you work' }, ...practices]}
            {...form.getInputProps('organisationId')}
          />
        ) : null}
        <TextInput
          label="Last day it works"
          description="Leave empty for a key that does not expire"
          type="date"
          size="md"
          min={localDay()}
          style={{ maxWidth: 260 }}
          {...form.getInputProps('expiresAt')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting} leftSection={<IconKey size={18} aria-hidden="true" />}>
            Make key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An organisation key reads the console only (console.read); it acts as the admin who made it. */
export function NewOrgKeyDialog({ opened, onClose, orgId, organisationName }: NewKeyDialogProps & { orgId: string; organisationName: string }) {
  return (
    <NewKeyFrame
      opened={opened}
      onClose={onClose}
      title="New organisation key"
      form={(onMade) => <NewOrgKeyForm orgId={orgId} organisationName={organisationName} onMade={onMade} onCancel={onClose} />}
    />
  );
}

const ORG_FIELDS = ['name', 'expiresAt'] as const;

function NewOrgKeyForm({ orgId, organisationName, onMade, onCancel }: { orgId: string; organisationName: string; onMade: (token: string) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<NewOrgKeyValues>({
    initialValues: { name: '', expiresAt: '' },
    validate: schemaResolver(newOrgKeySchema, { sync: true }),
    validateInputOnBlur: true,
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(integrationContracts.createOrgKey, {
        params: { orgId },
        body: { name: values.name.trim(), expiresAt: values.expiresAt.trim() ? expiryFromDay(values.expiresAt) : null },
      });
      await refreshIntegrations(queryClient);
      onMade(answer.token);
    } catch (error) {
      setProblem(applyServerErrors(form, error, ORG_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="New organisation key">
      <Stack gap="md">
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
          This key may only <strong>{SCOPE_LABELS['console.read'].toLowerCase()}</strong> of {organisationName}. It cannot change
          anything. It acts as you, so it stops working if you no longer manage the organisation's users.
        </Alert>
        <FormError message={problem} />
        <TextInput label="Name" description="So you know later what uses it" placeholder="e.g. Reporting" size="md" autoComplete="off" required withAsterisk={false} data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label="Last day it works"
          description="Leave empty for a key that does not expire"
          type="date"
          size="md"
          min={localDay()}
          style={{ maxWidth: 260 }}
          {...form.getInputProps('expiresAt')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting} leftSection={<IconKey size={18} aria-hidden="true" />}>
            Make key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

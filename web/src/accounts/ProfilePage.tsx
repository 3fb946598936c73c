import { Badge, Button, Divider, Grid, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconMailExclamation } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { accountContracts, type AccountView } from '../../../src/accounts/schemas.ts';
import { call } from '../app/api.ts';
import { formatDate } from '../app/format.ts';
import { applyServerErrors, emptyToNull } from '../app/forms.ts';
import { FormError, PageHeader } from '../app/ui.tsx';
import { DraftOfferAlert, DraftStatusText } from '../drafts/DraftOfferAlert.tsx';
import { useDraft } from '../drafts/useDraft.ts';
import { useAccount, useSession } from '../sessions/session.tsx';
import { ChangePasswordCard } from './ChangePasswordCard.tsx';
import { LogoCard } from './LogoCard.tsx';
import { ResendVerificationButton } from './ResendVerificationButton.tsx';
import { normalisePhone, normaliseWebsite, profileSchema, type ProfileValues } from './schemas.ts';

const PROFILE_FIELDS = [
  'name',
  'profession',
  'phone',
  'practice.name',
  'practice.address',
  'practice.phone',
  'practice.email',
  'practice.website',
] as const;

function valuesFromAccount(account: AccountView): ProfileValues {
  return {
    name: account.name ?? '',
    profession: account.profession ?? '',
    phone: account.phone ?? '',
    practice: {
      name: account.practice?.name ?? '',
      address: account.practice?.address ?? '',
      phone: account.practice?.phone ?? '',
      email: account.practice?.email ?? '',
      website: account.practice?.website ?? '',
    },
  };
}

/** A restored draft may come from an older form; every field is filled, unknown ones dropped. */
function completeValues(data: Partial<ProfileValues> | null | undefined, fallback: ProfileValues): ProfileValues {
  const text = (value: unknown, otherwise: string) => (typeof value === 'string' ? value : otherwise);
  const practice = (data?.practice ?? {}) as Partial<ProfileValues['practice']>;
  return {
    name: text(data?.name, fallback.name),
    profession: text(data?.profession, fallback.profession),
    phone: text(data?.phone, fallback.phone),
    practice: {
      name: text(practice.name, fallback.practice.name),
      address: text(practice.address, fallback.practice.address),
      phone: text(practice.phone, fallback.practice.phone),
      email: text(practice.email, fallback.practice.email),
      website: text(practice.website, fallback.practice.website),
    },
  };
}

function toPatch(values: ProfileValues) {
  const phone = (value: string) => emptyToNull(normalisePhone(value));
  return {
    name: values.name.trim(),
    profession: emptyToNull(values.profession),
    phone: phone(values.phone),
    practice: {
      name: emptyToNull(values.practice.name),
      address: emptyToNull(values.practice.address),
      phone: phone(values.practice.phone),
      email: emptyToNull(values.practice.email),
      website: emptyToNull(normaliseWebsite(values.practice.website)),
    },
  };
}

export function ProfilePage() {
  const account = useAccount();
  return (
    <>
      <PageHeader title="Profile" description="Your details and your practice, as colleagues and patients will see them." />
      <Stack gap="lg">
        <AccountSummary account={account} />
        <ProfileForm account={account} />
        <LogoCard />
        <ChangePasswordCard />
      </Stack>
    </>
  );
}

function AccountSummary({ account }: { account: AccountView }) {
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Sign-in email
          </Text>
          <Group gap="xs">
            <Text fw={600} className="break-anywhere" data-testid="account-email">
              {account.email}
            </Text>
            {account.emailVerified ? (
              <Badge color="green" variant="light" leftSection={<IconCircleCheck size={12} aria-hidden="true" />}>
                Verified
              </Badge>
            ) : (
              <Badge color="yellow" variant="light" leftSection={<IconMailExclamation size={12} aria-hidden="true" />}>
                Not verified
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            Member since {formatDate(account.createdAt)}
          </Text>
        </Stack>
        {!account.emailVerified ? <ResendVerificationButton variant="light" size="sm" /> : null}
      </Group>
    </Paper>
  );
}

function ProfileForm({ account }: { account: AccountView }) {
  const { updateAccount } = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  const baseline = useMemo(() => valuesFromAccount(account), [account]);

  const form = useForm<ProfileValues>({
    initialValues: baseline,
    validate: schemaResolver(profileSchema, { sync: true }),
    validateInputOnBlur: true,
  });

  const draft = useDraft<ProfileValues>('profile', 'me', form.values, {
    baseline,
    onRestore: (data) => form.setValues(completeValues(data, baseline)),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(accountContracts.update, { body: toPatch(values) });
      const saved = valuesFromAccount(answer.account);
      updateAccount(answer.account);
      form.setValues(saved);
      form.resetDirty(saved);
      await draft.clear();
      notifications.show({ color: 'motus', title: 'Profile saved', message: 'Your changes have been saved.' });
    } catch (error) {
      setProblem(applyServerErrors(form, error, PROFILE_FIELDS));
    }
  });

  const undo = async () => {
    form.setValues(baseline);
    form.resetDirty(baseline);
    form.clearErrors();
    setProblem(null);
    await draft.clear();
  };

  const dirty = JSON.stringify(form.values) !== JSON.stringify(baseline);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="profile-details-heading">
      <form onSubmit={submit} noValidate aria-label="Profile details">
        <Stack gap="lg">
          <DraftOfferAlert draft={draft} />
          <FormError message={problem} />
          <Grid gap={{ base: 'md', md: 'xl' }}>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Title order={2} size="h4" id="profile-details-heading">
                Your details
              </Title>
              <Text size="sm" c="dimmed" mt={4}>
                Shown to colleagues you share patients with.
              </Text>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="md">
                <TextInput label="Name" autoComplete="name" required withAsterisk {...form.getInputProps('name')} />
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                  <TextInput
                    label="Profession"
                    placeholder="e.g. Physiotherapist"
                    autoComplete="organization-title"
                    {...form.getInputProps('profession')}
                  />
                  <TextInput
                    label="Phone"
                    type="tel"
                    autoComplete="tel"
                    placeholder="e.g. +441234567890"
                    description="International format, starting with +"
                    {...form.getInputProps('phone')}
                  />
                </SimpleGrid>
              </Stack>
            </Grid.Col>
          </Grid>

          <Divider />

          <Grid gap={{ base: 'md', md: 'xl' }}>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Title order={2} size="h4">
                Practice
              </Title>
              <Text size="sm" c="dimmed" mt={4}>
                Printed on the programmes you give patients, so they know how to reach you.
              </Text>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="md">
                <TextInput label="Practice name" autoComplete="organization" {...form.getInputProps('practice.name')} />
                <Textarea
                  label="Practice address"
                  autoComplete="street-address"
                  autosize
                  minRows={2}
                  maxRows={6}
                  {...form.getInputProps('practice.address')}
                />
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                  <TextInput
                    label="Practice phone"
                    type="tel"
                    placeholder="e.g. +441234567890"
                    {...form.getInputProps('practice.phone')}
                  />
                  <TextInput
                    label="Practice email"
                    type="email"
                    inputMode="email"
                    placeholder="e.g. info@example.com"
                    {...form.getInputProps('practice.email')}
                  />
                </SimpleGrid>
                <TextInput
                  label="Practice website"
                  type="url"
                  inputMode="url"
                  placeholder="e.g. https://example.com"
                  {...form.getInputProps('practice.website')}
                />
              </Stack>
            </Grid.Col>
          </Grid>

          <Divider />

          <Group justify="space-between" gap="sm">
            <DraftStatusText status={draft.status} savedAt={draft.savedAt} />
            <Group gap="sm" ml="auto">
              <Button variant="default" onClick={() => void undo()} disabled={!dirty || form.submitting}>
                Undo changes
              </Button>
              <Button type="submit" loading={form.submitting}>
                Save changes
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

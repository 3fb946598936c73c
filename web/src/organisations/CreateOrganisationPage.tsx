import { Alert, Button, Grid, Group, List, Paper, Select, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBuildingHospital, IconMail } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ResendVerificationButton } from '../accounts/ResendVerificationButton.tsx';
import { organisationContracts } from '../../../src/organisations/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { applyServerErrors, emptyToNull } from '../app/forms.ts';
import { FormError, PageHeader } from '../app/ui.tsx';
import { organisationSchema, timeZones, type OrganisationValues } from './schemas.ts';
import { useAccount } from '../sessions/session.tsx';
import { WORKSPACE_QUERY_KEY } from './workspace.ts';

/** R-ORG-1: any account with a confirmed email can create an organisation and becomes its owner. */
export function CreateOrganisationPage() {
  const account = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const zones = useMemo(() => timeZones(), []);
  const ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  const form = useForm<OrganisationValues>({
    initialValues: { name: account.practice?.name ?? '', billingTimeZone: zones.includes(ownZone) ? ownZone : 'UTC', billingContactEmail: '' },
    validate: schemaResolver(organisationSchema, { sync: true }),
    validateInputOnBlur: ['name', 'billingContactEmail'],
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(organisationContracts.create, {
        body: {
          name: values.name.trim(),
          billingTimeZone: values.billingTimeZone,
          billingContactEmail: emptyToNull(values.billingContactEmail),
        },
      });
      await queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY });
      notifications.show({ color: 'motus', title: `${answer.organisation.name} is ready`, message: 'You are its owner. Next, add a card and your colleagues.' });
      navigate(`/console/${answer.organisation.id}/users`);
    } catch (error) {
      if (isApiError(error, 'email_unverified')) {
        setProblem(error.message);
        return;
      }
      setProblem(applyServerErrors(form, error, ['name', 'billingTimeZone', 'billingContactEmail']));
    }
  });

  return (
    <>
      <PageHeader title="Create an organisation" description="Run your practice's licences, users and billing from one console." />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
            {!account.emailVerified ? (
              <Alert color="yellow" variant="light" icon={<IconMail size={20} aria-hidden="true" />} title="Confirm your email address first" mb="lg" data-testid="create-organisation-unverified">
                <Stack gap="sm">
                  <Text size="sm">
                    An organisation's owner must have a confirmed email address. Open the link we sent to{' '}
                    <strong className="break-anywhere">{account.email}</strong>, then come back here.
                  </Text>
                  <Group>
                    <ResendVerificationButton size="xs" variant="white" color="dark" />
                  </Group>
                </Stack>
              </Alert>
            ) : null}
            <form onSubmit={submit} noValidate aria-label="Create an organisation">
              <Stack gap="md">
                <FormError message={problem} />
                <TextInput
                  label="Organisation name"
                  placeholder="e.g. Riverside Physiotherapy"
                  required
                  withAsterisk={false}
                  autoComplete="organization"
                  disabled={!account.emailVerified}
                  {...form.getInputProps('name')}
                />
                <Select
                  label="Billing time zone"
                  description="Billing months start and end at midnight in this time zone."
                  data={zones}
                  searchable
                  allowDeselect={false}
                  nothingFoundMessage="No time zone matches"
                  limit={50}
                  disabled={!account.emailVerified}
                  {...form.getInputProps('billingTimeZone')}
                />
                <TextInput
                  label="Billing contact email"
                  type="email"
                  inputMode="email"
                  placeholder="e.g. accounts@example.com"
                  description="Optional: invoices go to you, and also to this address."
                  disabled={!account.emailVerified}
                  {...form.getInputProps('billingContactEmail')}
                />
                <Group justify="flex-end">
                  <Button type="submit" loading={form.submitting} disabled={!account.emailVerified} leftSection={<IconBuildingHospital size={18} aria-hidden="true" />}>
                    Create organisation
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="org-how-heading">
            <Group gap="sm" mb="sm" wrap="nowrap">
              <ThemeIcon variant="light" radius="md" aria-hidden="true">
                <IconBuildingHospital size={18} />
              </ThemeIcon>
              <Title order={2} size="h4" id="org-how-heading">
                How it works
              </Title>
            </Group>
            <List size="sm" spacing="xs">
              <List.Item>You become the owner: you manage users, licences, payments and billing.</List.Item>
              <List.Item>Each practitioner you add uses a licence, paid monthly. Adding someone mid-month costs only the days left.</List.Item>
              <List.Item>Assistant admins can help run the console, with only the sections you give them.</List.Item>
              <List.Item>Everyone keeps their own personal account: accounts are never shared.</List.Item>
            </List>
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}

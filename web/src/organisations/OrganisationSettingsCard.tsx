import { Button, Grid, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { organisationContracts, type ConsoleOrganisationView } from '../../../src/organisations/schemas.ts';
import { call } from '../app/api.ts';
import { applyServerErrors, emptyToNull } from '../app/forms.ts';
import { FormError } from '../app/ui.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { refreshOrganisation } from './queries.ts';
import { organisationSchema, timeZones, type OrganisationValues } from './schemas.ts';

/** The owner's settings: the organisation's name, billing time zone and billing contact. */
export function OrganisationSettingsCard() {
  const { organisation } = useConsole();
  // Starts again from the server's values whenever they change.
  return <SettingsForm key={`${organisation.name}|${organisation.billingTimeZone}|${organisation.billingContactEmail ?? ''}`} organisation={organisation} />;
}

function SettingsForm({ organisation }: { organisation: ConsoleOrganisationView }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const zones = useMemo(() => {
    const all = timeZones();
    return all.includes(organisation.billingTimeZone) ? all : [organisation.billingTimeZone, ...all];
  }, [organisation.billingTimeZone]);
  const initial: OrganisationValues = {
    name: organisation.name,
    billingTimeZone: organisation.billingTimeZone,
    billingContactEmail: organisation.billingContactEmail ?? '',
  };
  const form = useForm<OrganisationValues>({ initialValues: initial, validate: schemaResolver(organisationSchema, { sync: true }) });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await call(organisationContracts.update, {
        params: { orgId: organisation.id },
        body: { name: values.name.trim(), billingTimeZone: values.billingTimeZone, billingContactEmail: emptyToNull(values.billingContactEmail) },
      });
      await refreshOrganisation(queryClient, organisation.id);
      notifications.show({ color: 'motus', message: 'Organisation settings saved.' });
    } catch (error) {
      setProblem(applyServerErrors(form, error, ['name', 'billingTimeZone', 'billingContactEmail']));
    }
  });

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="org-settings-heading">
      <Grid gap={{ base: 'md', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Title order={2} size="h4" id="org-settings-heading">
            Organisation and invoices
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            Billing months follow the time zone chosen here. Invoices go to you and, if given, to the billing contact.
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <form onSubmit={submit} noValidate aria-labelledby="org-settings-heading">
            <Stack gap="md">
              <FormError message={problem} />
              <TextInput label="Organisation name" required withAsterisk={false} {...form.getInputProps('name')} />
              <Select
                label="Billing time zone"
                data={zones}
                searchable
                allowDeselect={false}
                nothingFoundMessage="No time zone matches"
                limit={50}
                {...form.getInputProps('billingTimeZone')}
              />
              <TextInput
                label="Billing contact email"
                type="email"
                inputMode="email"
                placeholder="e.g. accounts@example.com"
                description="Optional: invoices are also emailed here."
                {...form.getInputProps('billingContactEmail')}
              />
              <Group justify="flex-end">
                <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
                  Save settings
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}

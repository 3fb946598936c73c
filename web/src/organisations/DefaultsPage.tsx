import { Alert, Button, Grid, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PracticeView } from '../../../src/accounts/schemas.ts';
import { organisationContracts, type ConsoleOrganisationView } from '../../../src/organisations/schemas.ts';
import { profileSchema, normalisePhone, normaliseWebsite } from '../accounts/schemas.ts';
import { call } from '../app/api.ts';
import { applyServerErrors, emptyToNull } from '../app/forms.ts';
import { FormError, PageHeader } from '../app/ui.tsx';
import { SESSION_QUERY_KEY } from '../sessions/session.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { PracticeLogoCard } from './PracticeLogoCard.tsx';
import { refreshOrganisation } from './queries.ts';

const defaultsSchema = profileSchema.shape.practice;
type DefaultsValues = { name: string; address: string; phone: string; email: string; website: string };
const FIELDS = ['name', 'address', 'phone', 'email', 'website'] as const;

function valuesFrom(practice: PracticeView): DefaultsValues {
  return {
    name: practice.name ?? '',
    address: practice.address ?? '',
    phone: practice.phone ?? '',
    email: practice.email ?? '',
    website: practice.website ?? '',
  };
}

/** R-ORG-4: practice details set once for the organisation and copied to every practitioner. */
export function DefaultsPage() {
  const { organisation } = useConsole();
  return (
    <>
      <PageHeader title="Practice defaults" description="The practice details every practitioner of the organisation starts with." />
      <Stack gap="lg">
        <DefaultsForm key={JSON.stringify(organisation.practice)} organisation={organisation} />
        <PracticeLogoCard organisation={organisation} />
      </Stack>
    </>
  );
}

function DefaultsForm({ organisation }: { organisation: ConsoleOrganisationView }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const baseline = valuesFrom(organisation.practice);
  const form = useForm<DefaultsValues>({
    initialValues: baseline,
    validate: schemaResolver(defaultsSchema, { sync: true }),
    validateInputOnBlur: true,
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await call(organisationContracts.setDefaults, {
        params: { orgId: organisation.id },
        body: {
          name: emptyToNull(values.name),
          address: emptyToNull(values.address),
          phone: emptyToNull(normalisePhone(values.phone)),
          email: emptyToNull(values.email),
          website: emptyToNull(normaliseWebsite(values.website)),
        },
      });
      await refreshOrganisation(queryClient, organisation.id);
      // The signed-in person's own copy changed too, when they are one of the practitioners.
      await queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY });
      notifications.show({ color: 'motus', title: 'Practice defaults saved', message: "Every practitioner's practice details now show them." });
    } catch (error) {
      setProblem(applyServerErrors(form, error, FIELDS));
    }
  });

  const dirty = JSON.stringify(form.values) !== JSON.stringify(baseline);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
      <form onSubmit={submit} noValidate aria-label="Practice defaults">
        <Grid gap={{ base: 'md', md: 'xl' }}>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Title order={2} size="h4">
              Practice details
            </Title>
            <Text size="sm" c="dimmed" mt={4}>
              Printed on the programmes practitioners give their patients.
            </Text>
            <Alert mt="md" color="motus" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
              Saving copies these details to every practitioner of {organisation.name}, and to people who join later.
              Each practitioner gets their own copy, which they can change in their profile.
            </Alert>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="md">
              <FormError message={problem} />
              <TextInput label="Practice name" autoComplete="organization" {...form.getInputProps('name')} />
              <Textarea label="Practice address" autoComplete="street-address" autosize minRows={2} maxRows={6} {...form.getInputProps('address')} />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <TextInput label="Practice phone" type="tel" placeholder="e.g. +441234567890" description="International format, starting with +" {...form.getInputProps('phone')} />
                <TextInput label="Practice email" type="email" inputMode="email" placeholder="e.g. info@example.com" description="Where patients can write to the practice" {...form.getInputProps('email')} />
              </SimpleGrid>
              <TextInput label="Practice website" type="url" inputMode="url" placeholder="e.g. https://example.com" {...form.getInputProps('website')} />
              <Group justify="flex-end" gap="sm">
                <Button
                  variant="default"
                  disabled={!dirty || form.submitting}
                  onClick={() => {
                    form.setValues(baseline);
                    form.clearErrors();
                    setProblem(null);
                  }}
                >
                  Undo changes
                </Button>
                <Button type="submit" loading={form.submitting} disabled={!dirty}>
                  Save for everyone
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>
      </form>
    </Paper>
  );
}

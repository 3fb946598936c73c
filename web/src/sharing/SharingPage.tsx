import { Alert, Button, Checkbox, Grid, Group, NativeSelect, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { sharingContracts, type SharingSettingsView } from '../../../src/sharing/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { FormError, PageHeader, EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { sharingBodyFrom, withContentAccount, type SharingBody } from './sharing.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { sharingKey, useSharing } from './queries.ts';

/** Sharing & content (R-SHR-1, R-SHR-2): the share group and the content account. */
export function SharingPage() {
  const { orgId } = useConsole();
  const sharing = useSharing(orgId);
  return (
    <>
      <PageHeader title="Sharing & content" description="Which practitioners share patients and content with each other, and whose exercises and templates others receive." />
      {sharing.isPending ? (
        <LoadingBlock label="Loading the sharing settings" />
      ) : sharing.isError ? (
        <ErrorBlock error={sharing.error} onRetry={() => void sharing.refetch()} />
      ) : sharing.data.practitioners.length === 0 ? (
        <Paper withBorder>
          <EmptyState icon={IconUsersGroup} title="No practitioners yet">
            Sharing is between practitioners of the organisation. Give someone practitioner access under Users first.
          </EmptyState>
        </Paper>
      ) : (
        <SharingForm key={JSON.stringify(sharing.data)} settings={sharing.data} />
      )}
    </>
  );
}

function SharingForm({ settings }: { settings: SharingSettingsView }) {
  const { orgId, organisation } = useConsole();
  const queryClient = useQueryClient();
  const baseline = sharingBodyFrom(settings);
  const [values, setValues] = useState<SharingBody>(baseline);
  const practitioners = settings.practitioners;
  const names = new Map(practitioners.map((p) => [p.id, p.name]));
  const contentName = values.contentAccountMemberId ? names.get(values.contentAccountMemberId) : undefined;

  const save = useMutation({
    mutationFn: (body: SharingBody) => call(sharingContracts.updateSettings, { params: { orgId }, body }),
    onSuccess: (answer) => {
      queryClient.setQueryData(sharingKey(orgId), answer);
      notifications.show({ color: 'motus', title: 'Sharing saved', message: 'Practitioners see the change from their next click.' });
    },
  });

  const update = (change: Partial<SharingBody>) => {
    save.reset();
    setValues((v) => ({ ...v, ...change }));
  };
  const dirty = JSON.stringify(values) !== JSON.stringify(baseline);
  const recipients = practitioners.filter((p) => p.id !== values.contentAccountMemberId);

  return (
    <form
      noValidate
      aria-label="Sharing & content"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(values);
      }}
    >
      <Stack gap="lg">
        <Section
          id="share-group"
          title="Share group"
          description="The practitioners you select share among all of them what you switch on below. What they receive through sharing is not passed on further."
        >
          <Stack gap="md">
            <Switch
              label="Share patients within the group"
              description="Each practitioner of the group sees the patients of the others."
              checked={values.sharePatients}
              onChange={(event) => update({ sharePatients: event.currentTarget.checked })}
            />
            <Switch
              label="Share exercises and templates within the group"
              description="Custom exercises and templates reach the others read-only."
              checked={values.shareContent}
              onChange={(event) => update({ shareContent: event.currentTarget.checked })}
            />
            <Checkbox.Group
              label="Group members"
              description={`${values.groupMemberIds.length} of ${practitioners.length} practitioners`}
              value={values.groupMemberIds}
              onChange={(ids) => update({ groupMemberIds: ids })}
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
                {practitioners.map((p) => (
                  <Checkbox key={p.id} value={p.id} label={p.name} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
            {values.groupMemberIds.length > 0 && !values.sharePatients && !values.shareContent ? (
              <Text size="sm" c="orange.9">
                Nothing is shared yet: switch on patients, exercises and templates, or both.
              </Text>
            ) : null}
          </Stack>
        </Section>

        <Section
          id="content-account"
          title="Content account"
          description="One practitioner account whose exercises and templates are shared, read-only, with the practitioners you choose. Shared items show its initials."
        >
          <Stack gap="md">
            <NativeSelect
              label="Content account"
              data={[{ value: '', label: 'None' }, ...practitioners.map((p) => ({ value: p.id, label: p.name }))]}
              value={values.contentAccountMemberId ?? ''}
              onChange={(event) => {
                const memberId = event.currentTarget.value || null;
                save.reset();
                setValues((v) => withContentAccount(v, memberId));
              }}
            />
            {values.contentAccountMemberId ? (
              <Checkbox.Group
                label="Practitioners who receive its content"
                description={`${contentName ?? 'The content account'}'s exercises and templates reach ${values.contentRecipientIds.length} of ${recipients.length} practitioners`}
                value={values.contentRecipientIds}
                onChange={(ids) => update({ contentRecipientIds: ids })}
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
                  {recipients.map((p) => (
                    <Checkbox key={p.id} value={p.id} label={p.name} />
                  ))}
                </SimpleGrid>
              </Checkbox.Group>
            ) : (
              <Text size="sm" c="dimmed">
                Choose a content account to pick who receives its content.
              </Text>
            )}
          </Stack>
        </Section>

        <Alert color="motus" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
          Only active practitioners of {organisation.name} can be chosen. Removing someone from the organisation takes them out
          of the group and the content account.
        </Alert>
        <FormError message={save.isError ? errorMessage(save.error) : null} />
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            disabled={!dirty || save.isPending}
            onClick={() => {
              save.reset();
              setValues(baseline);
            }}
          >
            Undo changes
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            Save sharing
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={`${id}-heading`}>
      <Grid gap={{ base: 'md', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Title order={2} size="h4" id={`${id}-heading`}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            {description}
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>{children}</Grid.Col>
      </Grid>
    </Paper>
  );
}

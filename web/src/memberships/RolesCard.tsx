import { Alert, Button, Checkbox, Group, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { membershipContracts, type MemberView } from '../../../src/memberships/schemas.ts';
import type { AdminSection } from '../../../src/organisations/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { firstName, memberActions } from './members.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { SECTION_DESCRIPTIONS, SECTION_LABELS, SECTION_ORDER } from '../console/sections.ts';

/** R-ORG-3: console admin rights, section by section; a caller grants only sections they hold. */
export function RolesCard({ member }: { member: MemberView }) {
  const { me } = useConsole();
  const actions = memberActions(member, me);
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="member-roles-heading">
      <Title order={2} size="h4" id="member-roles-heading" mb={4}>
        Console access
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Admins help run this console with the sections ticked here. Changes take effect at once. Payments &amp; billing
        stay with the owner.
      </Text>
      {/* Remounted when the member changes, so the form starts from what the server holds. */}
      <RolesForm
        key={`${member.id}:${member.roles.admin}:${member.roles.sections.join(',')}`}
        member={member}
        lockedReason={actions.rolesLockedReason}
      />
    </Paper>
  );
}

function RolesForm({ member, lockedReason }: { member: MemberView; lockedReason: string | null }) {
  const { orgId, me } = useConsole();
  const queryClient = useQueryClient();
  const [admin, setAdmin] = useState(member.roles.admin);
  const [sections, setSections] = useState<AdminSection[]>(member.roles.sections);
  const [sectionsError, setSectionsError] = useState<string | null>(null);
  const held = new Set<AdminSection>(me.sections);
  const locked = lockedReason !== null;
  const dirty = admin !== member.roles.admin || sortedKey(admin ? sections : []) !== sortedKey(member.roles.admin ? member.roles.sections : []);

  const save = useMutation({
    mutationFn: () => call(membershipContracts.setRoles, { params: { orgId, memberId: member.id }, body: { admin, sections: admin ? sections : [] } }),
    onSuccess: async (answer) => {
      await refreshOrganisation(queryClient, orgId);
      notifications.show({
        color: 'motus',
        title: 'Console access saved',
        message: answer.member.roles.admin
          ? `${firstName(member.name)} can now use the sections ticked.`
          : `${firstName(member.name)} no longer has console access.`,
      });
    },
  });

  const submit = () => {
    if (admin && sections.length === 0) {
      setSectionsError('Tick at least one section, or turn Console admin off.');
      return;
    }
    setSectionsError(null);
    save.mutate();
  };

  return (
    <Stack gap="md">
      {locked ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
          {lockedReason}
        </Alert>
      ) : null}
      <Switch
        label="Console admin"
        description={`Lets ${firstName(member.name)} open this console.`}
        checked={member.roles.owner || admin}
        disabled={locked}
        onChange={(event) => {
          setAdmin(event.currentTarget.checked);
          setSectionsError(null);
        }}
      />
      {member.roles.owner || admin ? (
        <Checkbox.Group
          label="Console sections"
          description={me.owner ? undefined : 'Sections you do not hold yourself cannot be ticked or unticked.'}
          value={member.roles.owner ? [...SECTION_ORDER] : sections}
          onChange={(value) => {
            setSections(value as AdminSection[]);
            setSectionsError(null);
          }}
          error={sectionsError}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
            {SECTION_ORDER.map((section) => (
              <Checkbox
                key={section}
                value={section}
                label={SECTION_LABELS[section]}
                description={held.has(section) ? SECTION_DESCRIPTIONS[section] : 'You do not hold this section'}
                disabled={locked || !held.has(section)}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
      ) : null}
      {save.isError ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(save.error)}
        </Alert>
      ) : null}
      {!locked ? (
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setAdmin(member.roles.admin);
              setSections(member.roles.sections);
              setSectionsError(null);
              save.reset();
            }}
          >
            Undo changes
          </Button>
          <Button onClick={submit} loading={save.isPending} disabled={!dirty}>
            Save console access
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function sortedKey(sections: readonly string[]): string {
  return [...sections].sort().join(',');
}

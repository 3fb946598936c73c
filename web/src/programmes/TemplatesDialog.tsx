import { ActionIcon, Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconTemplate, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { programmeContracts, type TemplateView } from '../../../src/programmes/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { TEMPLATES_KEY, useTemplates } from './queries.ts';

interface TemplatesDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Whether exercises were picked already (a template replaces them). */
  replacing: boolean;
  onUse: (template: TemplateView) => void;
}

/** "Start from template": the practitioner's library of programmes (R-PRG-1). */
export function TemplatesDialog({ opened, onClose, replacing, onUse }: TemplatesDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title="Start from a template" size="lg">
      {opened ? <TemplateList replacing={replacing} onUse={onUse} /> : null}
    </Dialog>
  );
}

function TemplateList({ replacing, onUse }: Omit<TemplatesDialogProps, 'opened' | 'onClose'>) {
  const queryClient = useQueryClient();
  const templates = useTemplates();
  const remove = useMutation({
    mutationFn: (template: TemplateView) => call(programmeContracts.deleteTemplate, { params: { templateId: template.id } }),
    onSuccess: async (_answer, template) => {
      await queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      notifications.show({ color: 'motus', message: `The template "${template.title}" was deleted.` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The template was not deleted', message: errorMessage(error) }),
  });

  if (templates.isPending) return <LoadingBlock label="Loading your templates" />;
  if (templates.isError) return <ErrorBlock error={templates.error} onRetry={() => void templates.refetch()} />;
  if (templates.data.length === 0) {
    return (
      <EmptyState icon={IconTemplate} title="No templates yet">
        Save a programme with <strong>Save as template</strong>, or copy a patient's programme to your library, to start from it next time.
      </EmptyState>
    );
  }
  return (
    <Stack gap="md">
      {replacing ? (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
          A template replaces the exercises picked so far. The dates stay as they are.
        </Alert>
      ) : null}
      <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Your templates">
        {templates.data.map((template, index) => (
          <Group
            component="li"
            key={template.id}
            justify="space-between"
            gap="sm"
            wrap="nowrap"
            py="sm"
            data-testid="template-row"
            style={index === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}
          >
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text fw={600} className="break-anywhere">
                {template.title}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {template.items.map((item) => item.exercise?.name ?? 'Exercise no longer available').join(', ')}
              </Text>
            </Stack>
            <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
              <Button size="xs" aria-label={`Use template ${template.title}`} onClick={() => onUse(template)}>
                Use
              </Button>
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Delete template ${template.title}`}
                loading={remove.isPending && remove.variables?.id === template.id}
                onClick={() => remove.mutate(template)}
              >
                <IconTrash size={16} aria-hidden="true" />
              </ActionIcon>
            </Group>
          </Group>
        ))}
      </Stack>
    </Stack>
  );
}

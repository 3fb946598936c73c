import { Alert, Anchor, Button, Grid, Group, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconCircleCheck, IconDeviceFloppy, IconSend, IconTemplate } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { PatientView } from '../../../src/patients/schemas.ts';
import { programmeContracts, type ProgrammeView } from '../../../src/programmes/schemas.ts';
import { ApiError, call, errorMessage, isApiError } from '../app/api.ts';
import { PageHeader, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { DraftOfferAlert, DraftStatusText } from '../drafts/DraftOfferAlert.tsx';
import { useDraft } from '../drafts/useDraft.ts';
import { PatientNotFound } from '../patients/PatientPage.tsx';
import { patientName } from '../patients/patients.ts';
import { patientKey, usePatient } from '../patients/queries.ts';
import { BuilderItemCard } from './BuilderItemCard.tsx';
import {
  builderFromProgramme,
  builderProblems,
  builderReducer,
  completeBuilderState,
  emptyBuilder,
  LIMITS,
  localToday,
  toProgrammeBody,
  toTemplateBody,
  type BuilderState,
  type DetailChanges,
} from './builder.ts';
import { ExercisePicker } from './ExercisePicker.tsx';
import { ProgrammeCode } from './ProgrammeCode.tsx';
import { programmeKey, TEMPLATES_KEY, useProgramme } from './queries.ts';
import { TemplatesDialog } from './TemplatesDialog.tsx';

/** Drafts of the builder (R-SES-2): a new programme is kept per patient, a change per programme. */
export const NEW_PROGRAMME_DRAFT = 'programme';
export const EDIT_PROGRAMME_DRAFT = 'programme-edit';

function BackToPatient({ patient }: { patient: PatientView }) {
  return (
    <Anchor component={Link} to={`/patients/${patient.id}`} size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden="true" />
        {patientName(patient)}
      </Group>
    </Anchor>
  );
}

function notFound(error: unknown): boolean {
  return isApiError(error) && (error.status === 404 || error.status === 400);
}

/** `/patients/:patientId/programmes/new`: build a programme and assign it (R-PRG-1, R-PRG-2). */
export function NewProgrammePage() {
  const { patientId = '' } = useParams();
  const patient = usePatient(patientId);
  // Today is fixed when the page opens, so the draft compares against the same starting point.
  const baseline = useMemo(() => emptyBuilder(localToday()), []);
  const [assigned, setAssigned] = useState<{ programme: ProgrammeView; emailed: boolean } | null>(null);

  if (patient.isPending) return <LoadingBlock label="Loading the patient" />;
  if (patient.isError) return notFound(patient.error) ? <PatientNotFound /> : <ErrorBlock error={patient.error} onRetry={() => void patient.refetch()} />;
  if (assigned) return <AssignedPanel patient={patient.data} {...assigned} />;
  return (
    <ProgrammeBuilder
      patient={patient.data}
      baseline={baseline}
      draftEditor={NEW_PROGRAMME_DRAFT}
      draftKey={patient.data.id}
      onAssigned={setAssigned}
    />
  );
}

/** `/programmes/:programmeId/edit`: change a programme; its code stays. */
export function EditProgrammePage() {
  const { programmeId = '' } = useParams();
  const programme = useProgramme(programmeId);
  const patient = usePatient(programme.data?.patientId ?? '', programme.data !== undefined);
  const baseline = useMemo(() => (programme.data ? builderFromProgramme(programme.data) : null), [programme.data?.id, programme.data?.updatedAt]);

  if (programme.isPending) return <LoadingBlock label="Loading the programme" />;
  if (programme.isError) {
    if (notFound(programme.error)) {
      return (
        <Alert color="orange" variant="light" title="Programme not found" data-testid="programme-not-found">
          This programme does not exist, or its patient is not one of yours.{' '}
          <Anchor component={Link} to="/patients" inherit>
            Back to your patients
          </Anchor>
        </Alert>
      );
    }
    return <ErrorBlock error={programme.error} onRetry={() => void programme.refetch()} />;
  }
  if (patient.isPending || !baseline) return <LoadingBlock label="Loading the patient" />;
  if (patient.isError) return notFound(patient.error) ? <PatientNotFound /> : <ErrorBlock error={patient.error} onRetry={() => void patient.refetch()} />;
  return (
    <ProgrammeBuilder
      patient={patient.data}
      programme={programme.data}
      baseline={baseline}
      draftEditor={EDIT_PROGRAMME_DRAFT}
      draftKey={programme.data.id}
    />
  );
}

interface ProgrammeBuilderProps {
  patient: PatientView;
  /** The programme being changed; none for a new one. */
  programme?: ProgrammeView;
  /** The state as saved (a new programme: empty), which a draft is compared with. */
  baseline: BuilderState;
  draftEditor: string;
  draftKey: string;
  onAssigned?: (answer: { programme: ProgrammeView; emailed: boolean }) => void;
}

function ProgrammeBuilder({ patient, programme, baseline, draftEditor, draftKey, onAssigned }: ProgrammeBuilderProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(builderReducer, baseline);
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState<'assign' | 'template' | null>(null);
  const [choosingTemplate, setChoosingTemplate] = useState(false);
  const editing = programme !== undefined;

  const draft = useDraft<BuilderState>(draftEditor, draftKey, state, {
    baseline,
    onRestore: (data) => dispatch({ type: 'replace', state: completeBuilderState(data, baseline) }),
  });

  // The server's messages belong to what was sent; a change makes them stale.
  useEffect(() => setServerErrors({}), [state]);

  const errors = { ...(attempted ? builderProblems(state) : {}), ...serverErrors };
  const picked = useMemo(() => {
    const counts = new Map<string, number>();
    for (const item of state.items) counts.set(item.exercise.id, (counts.get(item.exercise.id) ?? 0) + 1);
    return counts;
  }, [state.items]);

  function explain(error: unknown): string | null {
    if (error instanceof ApiError && error.code === 'validation_failed') {
      setServerErrors(error.fieldErrors());
      return 'Some details need a change: see the highlighted fields.';
    }
    return errorMessage(error);
  }

  async function assign() {
    setAttempted(true);
    setProblem(null);
    const problems = builderProblems(state);
    if (Object.keys(problems).length > 0) {
      setProblem('Some details need a change: see the highlighted fields.');
      return;
    }
    setSending('assign');
    try {
      const body = toProgrammeBody(state);
      if (programme) {
        await call(programmeContracts.update, { params: { programmeId: programme.id }, body });
        await draft.clear();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: patientKey(patient.id) }),
          queryClient.invalidateQueries({ queryKey: programmeKey(programme.id) }),
        ]);
        notifications.show({ color: 'motus', title: 'Programme saved', message: `${body.title} was changed. Its code stays the same.` });
        navigate(`/patients/${patient.id}`);
      } else {
        const answer = await call(programmeContracts.assign, { params: { patientId: patient.id }, body });
        await draft.clear();
        await queryClient.invalidateQueries({ queryKey: patientKey(patient.id) });
        onAssigned?.(answer);
      }
    } catch (error) {
      setProblem(explain(error));
    } finally {
      setSending(null);
    }
  }

  async function saveTemplate() {
    setAttempted(true);
    setProblem(null);
    const problems = builderProblems(state, 'template');
    if (Object.keys(problems).length > 0) {
      setProblem('Some details need a change: see the highlighted fields.');
      return;
    }
    setSending('template');
    try {
      const answer = await call(programmeContracts.createTemplate, { body: toTemplateBody(state) });
      await queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      notifications.show({ color: 'motus', title: 'Saved as a template', message: `"${answer.template.title}" is in your library for other programmes.` });
    } catch (error) {
      setProblem(explain(error));
    } finally {
      setSending(null);
    }
  }

  const name = patientName(patient);
  return (
    <>
      <BackToPatient patient={patient} />
      <PageHeader
        title={editing ? `Edit ${programme.title}` : `New programme for ${name}`}
        description={editing ? 'Changes reach the patient at once; the code stays the same.' : 'Pick exercises from the library, set how to do them, then assign.'}
        actions={
          <Button variant="default" leftSection={<IconTemplate size={18} aria-hidden="true" />} onClick={() => setChoosingTemplate(true)}>
            Start from template
          </Button>
        }
      />
      <Stack gap="lg">
        <DraftOfferAlert draft={draft} />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="lg">
              <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="programme-details-heading">
                <Title order={2} size="h4" id="programme-details-heading" mb="md">
                  Programme
                </Title>
                <Stack gap="md">
                  <TextInput
                    label="Title"
                    placeholder="e.g. Knee strength, weeks 1–4"
                    required
                    withAsterisk
                    maxLength={LIMITS.title}
                    value={state.title}
                    onChange={(event) => dispatch({ type: 'details', changes: { title: event.currentTarget.value } })}
                    error={errors.title}
                  />
                  <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
                    <TextInput
                      label="Start date"
                      type="date"
                      required
                      withAsterisk
                      value={state.startDate}
                      onChange={(event) => dispatch({ type: 'details', changes: { startDate: event.currentTarget.value } })}
                      error={errors.startDate}
                    />
                    <TextInput
                      label="End date"
                      type="date"
                      description="Optional: leave empty to keep it open."
                      value={state.endDate}
                      min={state.startDate || undefined}
                      onChange={(event) => dispatch({ type: 'details', changes: { endDate: event.currentTarget.value } })}
                      error={errors.endDate}
                    />
                  </SimpleGrid>
                  <Switch
                    label="Track adherence"
                    description="The patient ticks off each session."
                    checked={state.trackAdherence}
                    onChange={(event) => dispatch({ type: 'details', changes: { trackAdherence: event.currentTarget.checked } })}
                  />
                  <Switch
                    label="Track pain"
                    description="The patient rates their pain after exercising."
                    checked={state.trackPain}
                    onChange={(event) => dispatch({ type: 'details', changes: { trackPain: event.currentTarget.checked } })}
                  />
                </Stack>
              </Paper>

              <AlertSettings state={state} errors={errors} onChange={(changes) => dispatch({ type: 'details', changes })} />

              <Stack gap="sm" component="section" aria-labelledby="builder-items-heading">
                <Group justify="space-between" gap="sm">
                  <Title order={2} size="h4" id="builder-items-heading">
                    Exercises ({state.items.length})
                  </Title>
                </Group>
                {state.items.length === 0 ? (
                  <Paper withBorder p="lg" style={{ borderStyle: 'dashed' }}>
                    <Text size="sm" c={errors.items ? 'red.8' : 'dimmed'} ta="center" role={errors.items ? 'alert' : undefined}>
                      {errors.items ?? 'No exercises yet.'} Add them from the <Anchor href="#exercise-library" inherit>exercise library</Anchor>.
                    </Text>
                  </Paper>
                ) : (
                  state.items.map((item, index) => (
                    <BuilderItemCard
                      key={item.key}
                      item={item}
                      index={index}
                      count={state.items.length}
                      errors={errors}
                      onChange={(changes) => dispatch({ type: 'update', key: item.key, changes })}
                      onMove={(by) => dispatch({ type: 'move', key: item.key, by })}
                      onRemove={() => dispatch({ type: 'remove', key: item.key })}
                    />
                  ))
                )}
              </Stack>

              <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
                <Stack gap="sm">
                  {problem ? (
                    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />} data-testid="builder-problem">
                      {problem}
                    </Alert>
                  ) : null}
                  <Group justify="space-between" gap="sm">
                    <DraftStatusText status={draft.status} savedAt={draft.savedAt} />
                    <Group gap="sm" ml="auto">
                      <Button
                        variant="default"
                        leftSection={<IconDeviceFloppy size={16} aria-hidden="true" />}
                        loading={sending === 'template'}
                        disabled={sending !== null}
                        onClick={() => void saveTemplate()}
                      >
                        Save as template
                      </Button>
                      <Button
                        leftSection={<IconSend size={16} aria-hidden="true" />}
                        loading={sending === 'assign'}
                        disabled={sending !== null}
                        onClick={() => void assign()}
                      >
                        {editing ? 'Save changes' : 'Assign'}
                      </Button>
                    </Group>
                  </Group>
                </Stack>
              </Paper>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <ExercisePicker picked={picked} full={state.items.length >= LIMITS.items} onAdd={(exercise) => dispatch({ type: 'add', exercise })} />
          </Grid.Col>
        </Grid>
      </Stack>
      <TemplatesDialog
        opened={choosingTemplate}
        onClose={() => setChoosingTemplate(false)}
        replacing={state.items.length > 0}
        onUse={(template) => {
          dispatch({ type: 'useTemplate', template });
          setChoosingTemplate(false);
          notifications.show({ color: 'motus', message: `Started from "${template.title}". Adjust it for ${name} before assigning.` });
        }}
      />
    </>
  );
}

/**
 * R-ENG-6: when the practitioner is alerted (on the home page and by email, without clinical
 * text): pain at or above a level, and days without any entry. Templates do not carry them.
 */
function AlertSettings({ state, errors, onChange }: { state: BuilderState; errors: Record<string, string>; onChange: (changes: DetailChanges) => void }) {
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="programme-alerts-heading" data-testid="builder-alerts">
      <Title order={2} size="h4" id="programme-alerts-heading" mb={4}>
        Alerts
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        You see them on your home page and get an email that names no details.
      </Text>
      <Stack gap="md">
        <NumberInput
          label="Alert me when pain reaches"
          description={
            state.trackPain
              ? `From ${LIMITS.painAlertAt.min} (no pain) to ${LIMITS.painAlertAt.max} (worst pain). Rising pain over three entries is always flagged.`
              : 'Used when pain is tracked: switch on "Track pain" above.'
          }
          value={state.painAlertAt ?? ''}
          onChange={(value) => onChange({ painAlertAt: typeof value === 'number' ? value : null })}
          min={LIMITS.painAlertAt.min}
          max={LIMITS.painAlertAt.max}
          allowDecimal={false}
          allowNegative={false}
          inputMode="numeric"
          w={{ base: '100%', xs: 280 }}
          error={errors.painAlertAt}
          data-testid="pain-alert-at"
        />
        <Stack gap="xs">
          <Switch
            label="Alert me when the patient records nothing"
            checked={state.inactivityAlert}
            onChange={(event) => onChange({ inactivityAlert: event.currentTarget.checked })}
            data-testid="inactivity-alert"
          />
          {state.inactivityAlert ? (
            <NumberInput
              label="Days without activity"
              description={`After how many days without an entry: ${LIMITS.inactivityAlertDays.min} to ${LIMITS.inactivityAlertDays.max}.`}
              value={state.inactivityAlertDays ?? ''}
              onChange={(value) => onChange({ inactivityAlertDays: typeof value === 'number' ? value : null })}
              min={LIMITS.inactivityAlertDays.min}
              max={LIMITS.inactivityAlertDays.max}
              allowDecimal={false}
              allowNegative={false}
              inputMode="numeric"
              w={{ base: '100%', xs: 280 }}
              error={errors.inactivityAlertDays}
              data-testid="inactivity-alert-days"
            />
          ) : null}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** After "Assign": the new code, large, and whether it was emailed (R-PRG-2). */
function AssignedPanel({ patient, programme, emailed }: { patient: PatientView; programme: ProgrammeView; emailed: boolean }) {
  const name = patientName(patient);
  return (
    <>
      <BackToPatient patient={patient} />
      <PageHeader title="Programme assigned" description={`${programme.title}, for ${name}.`} />
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} component="section" aria-labelledby="assigned-heading" data-testid="programme-assigned">
        <Stack gap="md" align="flex-start">
          <Group gap="sm">
            <IconCircleCheck size={28} color="var(--mantine-color-green-7)" aria-hidden="true" />
            <Title order={2} size="h3" id="assigned-heading">
              {name} can open it now
            </Title>
          </Group>
          <ProgrammeCode code={programme.code} />
          <Text size="sm" data-testid="programme-emailed">
            {emailed
              ? `The code was emailed to ${patient.email}, with a link to open the programme.`
              : `${patient.firstName} has no email address on file: read the code out, or write it down for them.`}
          </Text>
          <Group gap="sm">
            <Button component={Link} to={`/patients/${patient.id}`}>
              Back to {name}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </>
  );
}

import { Alert, Box, Button, Container, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconClockPause, IconInfoCircle, IconPrinter } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { programmeContracts, type PatientProgrammeView } from '../../../src/programmes/schemas.ts';
import { call } from '../app/api.ts';
import { Brand } from '../app/Brand.tsx';
import { formatLocalDate } from '../app/format.ts';
import { usePageTitle } from '../app/ui.tsx';
import { ExerciseIllustration } from '../exercises/ExerciseIllustration.tsx';
import { describeItem } from './describe.ts';
import { codeProblem, normaliseCode, refusalOf, sentenceCase, yearProblem, type Refusal } from './patientView.ts';

/**
 * The patient's page (R-PRG-2, R-PRG-3), open to anyone with the code and year of birth: no account,
 * no app chrome, made for phones, and printable.
 */
export function PatientProgrammePage() {
  const [params] = useSearchParams();
  const [programme, setProgramme] = useState<PatientProgrammeView | null>(null);
  usePageTitle(programme ? programme.title : 'Your exercise programme');

  return (
    <Box className="patient-page">
      <a className="skip-link no-print" href="#main">
        Skip to main content
      </a>
      <Container size={760} px={{ base: 'md', sm: 'xl' }} py={{ base: 'md', sm: 'xl' }}>
        <Group justify="space-between" mb="lg" component="header">
          <Brand />
        </Group>
        <Box component="main" id="main" tabIndex={-1} style={{ outline: 'none' }}>
          {programme ? (
            <ProgrammeView programme={programme} onClose={() => setProgramme(null)} />
          ) : (
            <OpenForm initialCode={params.get('code') ?? ''} onOpened={setProgramme} />
          )}
        </Box>
        <Text ta="center" size="xs" c="dimmed" mt="xl" className="no-print">
          Motus · home-exercise programmes from your practice
        </Text>
      </Container>
    </Box>
  );
}

function OpenForm({ initialCode, onOpened }: { initialCode: string; onOpened: (programme: PatientProgrammeView) => void }) {
  const [code, setCode] = useState(initialCode);
  const [year, setYear] = useState('');
  const [errors, setErrors] = useState<{ code?: string | null; year?: string | null }>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [opening, setOpening] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = { code: codeProblem(code), year: yearProblem(year) };
    setErrors(found);
    setRefusal(null);
    if (found.code || found.year) return;
    setOpening(true);
    try {
      const answer = await call(
        programmeContracts.openAsPatient,
        { body: { code: normaliseCode(code), yearOfBirth: Number(year.trim()) } },
        { csrf: false, reportSessionEnd: false },
      );
      onOpened(answer.programme);
    } catch (error) {
      setRefusal(refusalOf(error));
    } finally {
      setOpening(false);
    }
  };

  return (
    <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }}>
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="open-heading">
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={1} size="h2" id="open-heading">
              Your exercise programme
            </Title>
            <Text c="dimmed">Enter the code your practitioner gave you and your year of birth.</Text>
          </Stack>
          {refusal ? (
            <Alert
              color={refusal.kind === 'throttled' ? 'orange' : 'red'}
              variant="light"
              role="alert"
              icon={refusal.kind === 'throttled' ? <IconClockPause size={18} aria-hidden="true" /> : <IconAlertTriangle size={18} aria-hidden="true" />}
              data-testid="programme-open-error"
            >
              {refusal.kind === 'not_found'
                ? 'No programme matches this code and year of birth. Check both and try again, or ask your practice for the code.'
                : refusal.kind === 'throttled'
                  ? `Too many attempts from this device. Please wait ${refusal.wait} and try again.`
                  : refusal.message}
            </Alert>
          ) : null}
          <TextInput
            label="Programme code"
            description="8 letters"
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={errors.code}
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            maxLength={12}
            size="md"
            styles={{ input: { letterSpacing: '0.15em', fontFamily: 'ui-monospace, Menlo, Consolas, monospace' } }}
          />
          <TextInput
            label="Year of birth"
            description="For example 1961"
            value={year}
            onChange={(event) => setYear(event.currentTarget.value)}
            error={errors.year}
            inputMode="numeric"
            autoComplete="bday-year"
            maxLength={4}
            size="md"
          />
          <Button type="submit" size="md" loading={opening} fullWidth>
            Open programme
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function ProgrammeView({ programme, onClose }: { programme: PatientProgrammeView; onClose: () => void }) {
  const p = programme.practitioner;
  const from = [p.name, p.practice].filter(Boolean).join(', ');
  return (
    <Stack gap="lg" data-testid="patient-programme">
      <Stack gap={6}>
        <Title order={1} size="h2">
          {programme.title}
        </Title>
        <Text>
          For {programme.patientFirstName}, from {from}
          {p.phone ? (
            <>
              {' '}
              · <a href={`tel:${p.phone}`}>{p.phone}</a>
            </>
          ) : null}
        </Text>
        <Text size="sm" c="dimmed">
          {programme.endDate
            ? `From ${formatLocalDate(programme.startDate, undefined, 'long')} to ${formatLocalDate(programme.endDate, undefined, 'long')}`
            : `From ${formatLocalDate(programme.startDate, undefined, 'long')}`}
        </Text>
      </Stack>
      {programme.readOnly ? (
        <Alert color="orange" variant="light" icon={<IconInfoCircle size={20} aria-hidden="true" />} title="Read only" data-testid="programme-notice">
          {programme.notice ?? 'This programme can only be read. Contact your practice for help.'}
        </Alert>
      ) : null}
      <Group gap="sm" className="no-print">
        <Button variant="default" leftSection={<IconPrinter size={18} aria-hidden="true" />} onClick={() => window.print()}>
          Print
        </Button>
        <Button variant="subtle" onClick={onClose}>
          Close programme
        </Button>
      </Group>
      <Stack gap="md" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Exercises">
        {programme.items.map((item, index) => {
          const name = item.exercise?.name ?? 'Exercise';
          const how = describeItem(item);
          return (
            <Paper component="li" key={index} withBorder p={{ base: 'md', sm: 'lg' }} className="patient-exercise" data-testid="patient-exercise">
              <Stack gap="sm">
                <Title order={2} size="h3">
                  {index + 1}. {name}
                </Title>
                <Box maw={360}>
                  <ExerciseIllustration url={item.exercise?.illustrationUrl ?? null} alt={`Illustration of ${name}`} />
                </Box>
                {how ? (
                  <Text fw={600} size="lg" data-testid="patient-exercise-dose">
                    {sentenceCase(how)}
                  </Text>
                ) : null}
                {item.instructions ? (
                  <Alert color="motus" variant="light" title="From your practitioner" data-testid="patient-exercise-instructions">
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {item.instructions}
                    </Text>
                  </Alert>
                ) : null}
                {item.exercise?.description ? <Text>{item.exercise.description}</Text> : null}
                {item.exercise && item.exercise.steps.length > 0 ? (
                  <Stack gap={4}>
                    <Title order={3} size="h5">
                      How to do it
                    </Title>
                    <List type="ordered" spacing={4}>
                      {item.exercise.steps.map((step, stepIndex) => (
                        <List.Item key={stepIndex}>{step}</List.Item>
                      ))}
                    </List>
                  </Stack>
                ) : null}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
      <Text size="sm" c="dimmed">
        Stop and contact {p.practice ?? p.name} if an exercise causes pain or you are unsure how to do it.
      </Text>
    </Stack>
  );
}

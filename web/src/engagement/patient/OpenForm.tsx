import { Alert, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconClockPause, IconInfoCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { PatientProgrammeView } from '../../../../src/programmes/schemas.ts';
import { codeProblem, normaliseCode, refusalOf, yearProblem, type Refusal } from '../../programmes/patientView.ts';
import { patientApi } from './patientApi.ts';

/** Why the form is shown again to someone who had the programme open on this device. */
export type SignedOutReason = 'signed_out' | 'left';

/** R-PRG-2: the code and year of birth open the programme; the device then keeps its own token. */
export function OpenForm({
  initialCode,
  reason,
  waiting,
  onOpened,
  onBack,
}: {
  initialCode: string;
  reason: SignedOutReason | null;
  /** What this phone still holds for the code's programme, sent once it is open again. */
  waiting: (code: string) => number;
  onOpened: (code: string, answer: { programme: PatientProgrammeView; deviceToken: string }) => void;
  /** Back to the programmes this device holds, when it holds some. */
  onBack: (() => void) | null;
}) {
  const [code, setCode] = useState(initialCode);
  const [year, setYear] = useState('');
  const [errors, setErrors] = useState<{ code?: string | null; year?: string | null }>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [opening, setOpening] = useState(false);
  const kept = codeProblem(code) ? 0 : waiting(normaliseCode(code));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = { code: codeProblem(code), year: yearProblem(year) };
    setErrors(found);
    setRefusal(null);
    if (found.code || found.year) return;
    setOpening(true);
    try {
      const normalised = normaliseCode(code);
      const answer = await patientApi.open(normalised, Number(year.trim()));
      onOpened(normalised, answer);
    } catch (error) {
      setRefusal(refusalOf(error));
      setOpening(false);
    }
  };

  return (
    <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }}>
      <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="open-heading">
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={1} size="h2" id="open-heading">
              Your exercise programme
            </Title>
            <Text>Enter the code your practitioner gave you and your year of birth. This phone will remember them.</Text>
          </Stack>
          {reason ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={22} aria-hidden="true" />} data-testid="patient-signed-out-notice">
              {reason === 'signed_out'
                ? 'This phone was signed out of your programme, by your practice or on this phone. Enter the code and your year of birth to open it again.'
                : 'This phone is signed out of your programme. Enter the code and your year of birth to open it again.'}
            </Alert>
          ) : null}
          {kept > 0 ? (
            <Alert color="orange" variant="light" data-testid="patient-kept-notice">
              {kept === 1 ? 'One thing you recorded is saved on this phone.' : `${kept} things you recorded are saved on this phone.`} It will be sent once you open the programme again.
            </Alert>
          ) : null}
          {refusal ? (
            <Alert
              color={refusal.kind === 'throttled' ? 'orange' : 'red'}
              variant="light"
              role="alert"
              icon={refusal.kind === 'throttled' ? <IconClockPause size={22} aria-hidden="true" /> : <IconAlertTriangle size={22} aria-hidden="true" />}
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
            size="lg"
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
            size="lg"
          />
          <Button type="submit" size="xl" loading={opening} fullWidth>
            Open programme
          </Button>
          {onBack ? (
            <Button variant="subtle" size="lg" onClick={onBack} data-testid="patient-back-to-chooser">
              Back to my programmes
            </Button>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

/** More than one programme on this device: which one to open. */
export function ProgrammeChooser({ devices, onChoose, onOther }: { devices: { code: string; title: string; firstName: string }[]; onChoose: (code: string) => void; onOther: () => void }) {
  return (
    <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }} data-testid="patient-chooser">
      <Stack gap="lg">
        <Title order={1} size="h2">
          Which programme?
        </Title>
        <Text>This phone holds more than one programme.</Text>
        <Stack gap="sm">
          {devices.map((d) => (
            <Button key={d.code} size="xl" variant="default" fullWidth onClick={() => onChoose(d.code)} data-testid="patient-chooser-programme" styles={{ label: { whiteSpace: 'normal', textAlign: 'left' }, root: { height: 'auto', minHeight: 60, paddingBlock: 10 } }}>
              {d.title} — for {d.firstName}
            </Button>
          ))}
        </Stack>
        <Button size="lg" variant="subtle" onClick={onOther} data-testid="patient-chooser-other">
          Open another programme
        </Button>
      </Stack>
    </Paper>
  );
}

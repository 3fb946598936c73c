import { Alert, Anchor, Button, CopyButton, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconBell, IconBellOff, IconCalendarPlus, IconCopy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ReminderView } from '../../../../src/engagement/schemas.ts';
import { errorMessage, hasErrorCode, isApiError } from '../../app/api.ts';
import { formatWhen } from '../../app/format.ts';
import { describeWeekdays, WEEKDAYS } from '../../programmes/describe.ts';
import { isSignedOut, isUnreachable, patientApi } from './patientApi.ts';

function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * "Remind me" (R-ENG-4): days and a time in the patient's own time zone, emailed (the address the
 * practice has, unless another is given), and the exercise days in the phone's calendar.
 */
export function ReminderSection({
  token,
  reminder,
  canChange,
  onChanged,
  onSignedOut,
}: {
  token: string;
  reminder: ReminderView | null;
  canChange: boolean;
  onChanged: (reminder: ReminderView | null) => void;
  onSignedOut: () => void;
}) {
  const [editing, setEditing] = useState(reminder === null);
  const [days, setDays] = useState<number[]>(reminder?.weekdays ?? []);
  const [time, setTime] = useState(reminder?.time ?? '09:00');
  const [email, setEmail] = useState('');
  const [needEmail, setNeedEmail] = useState(false);
  const [errors, setErrors] = useState<{ days?: string; time?: string; email?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [calendar, setCalendar] = useState<{ url: string; webcalUrl: string } | null>(null);
  const [calendarProblem, setCalendarProblem] = useState<string | null>(null);

  // A reminder that arrives with the programme (or changes) is shown, not the empty form.
  useEffect(() => {
    if (!reminder) return;
    setDays(reminder.weekdays);
    setTime(reminder.time);
    setEditing(false);
  }, [reminder]);

  const failed = (error: unknown): string => {
    if (isSignedOut(error)) {
      onSignedOut();
      return '';
    }
    if (isUnreachable(error)) return 'This needs a connection. Please try again when you are online.';
    return errorMessage(error);
  };

  const toggle = (day: number) => setDays((d) => (d.includes(day) ? d.filter((x) => x !== day) : [...d, day].sort((a, b) => a - b)));

  const save = async () => {
    const found: typeof errors = {};
    if (days.length === 0) found.days = 'Choose at least one day.';
    if (!/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(time)) found.time = 'Choose a time, like 09:00.';
    if (needEmail && !email.trim()) found.email = 'Enter the email address for your reminders.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const answer = await patientApi.setReminder(token, { weekdays: days, time, timeZone: deviceTimeZone(), email: email.trim() || null });
      onChanged(answer.reminder);
      setEditing(false);
      setNeedEmail(false);
    } catch (error) {
      if (hasErrorCode(error, 'email_required')) {
        setNeedEmail(true);
        setErrors({ email: 'Your practice has no email address for you. Please enter one.' });
      } else {
        const fields = isApiError(error) ? error.fieldErrors() : {};
        setErrors({ email: fields.email, days: fields.weekdays, time: fields.time, form: fields.email || fields.weekdays || fields.time ? undefined : failed(error) });
      }
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    setBusy(true);
    try {
      await patientApi.clearReminder(token);
      onChanged(null);
      setEditing(true);
    } catch (error) {
      setErrors({ form: failed(error) });
    } finally {
      setBusy(false);
    }
  };

  const addToCalendar = async () => {
    setCalendarProblem(null);
    try {
      setCalendar(await patientApi.calendar(token));
    } catch (error) {
      setCalendarProblem(failed(error));
    }
  };

  return (
    <Stack gap="md" component="section" aria-labelledby="reminder-heading" data-testid="patient-reminder" className="no-print">
      <Title order={2} id="reminder-heading">
        Remind me
      </Title>
      {reminder ? (
        <Paper withBorder p="md" radius="md" data-testid="patient-reminder-current">
          <Stack gap="xs">
            <Text fw={700}>
              <IconBell size={20} aria-hidden="true" style={{ verticalAlign: '-3px' }} /> Reminders on {describeWeekdays(reminder.weekdays)} at {reminder.time}
            </Text>
            <Text size="sm">
              Sent by email to {reminder.emailHint} ({reminder.timeZone} time).
              {reminder.nextAt ? ` Next: ${formatWhen(reminder.nextAt)}.` : ''}
            </Text>
            <Group gap="sm">
              {canChange && !editing ? (
                <Button size="lg" variant="default" onClick={() => setEditing(true)} data-testid="patient-reminder-change">
                  Change
                </Button>
              ) : null}
              <Button size="lg" variant="default" color="red" leftSection={<IconBellOff size={20} aria-hidden="true" />} loading={busy && !editing} onClick={() => void stop()} data-testid="patient-reminder-stop">
                Stop reminders
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : canChange ? (
        <Text>Choose the days and the time you want an email to remind you of your exercises.</Text>
      ) : null}
      {canChange && editing ? (
        <Stack gap="md">
          <Stack gap={6}>
            <Text fw={600} id="reminder-days">
              Which days?
            </Text>
            <div className="patient-day-grid" role="group" aria-labelledby="reminder-days">
              {WEEKDAYS.map((d) => (
                <Button
                  key={d.value}
                  size="lg"
                  px={0}
                  variant={days.includes(d.value) ? 'filled' : 'default'}
                  aria-pressed={days.includes(d.value)}
                  aria-label={d.long}
                  onClick={() => toggle(d.value)}
                  data-testid="patient-reminder-day"
                  data-value={d.value}
                >
                  {d.short}
                </Button>
              ))}
            </div>
            {errors.days ? (
              <Text c="red.8" size="sm" role="alert">
                {errors.days}
              </Text>
            ) : null}
          </Stack>
          <TextInput type="time" label="At what time?" size="lg" value={time} onChange={(e) => setTime(e.currentTarget.value)} error={errors.time} maw={220} data-testid="patient-reminder-time" />
          <TextInput
            type="email"
            label={needEmail ? 'Your email address' : 'Email address (optional)'}
            description={needEmail ? undefined : 'Leave it empty and we will use the address your practice has.'}
            size="lg"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
            required={needEmail}
            data-testid="patient-reminder-email"
          />
          <Group gap="sm">
            <Button size="lg" loading={busy} onClick={() => void save()} leftSection={<IconBell size={20} aria-hidden="true" />} data-testid="patient-reminder-save">
              {reminder ? 'Save reminders' : 'Remind me'}
            </Button>
            {reminder ? (
              <Button size="lg" variant="subtle" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            ) : null}
          </Group>
        </Stack>
      ) : null}
      {errors.form ? (
        <Alert color="red" variant="light" role="alert">
          {errors.form}
        </Alert>
      ) : null}
      {canChange ? (
        <Stack gap="sm">
          <Text>Or put your exercise days in your phone’s calendar.</Text>
          {calendar ? (
            <Stack gap="sm" data-testid="patient-calendar-links">
              <Button component="a" href={calendar.webcalUrl} size="lg" className="patient-control" leftSection={<IconCalendarPlus size={22} aria-hidden="true" />} data-testid="patient-calendar-open">
                Open in my calendar
              </Button>
              <TextInput label="Or copy this address into your calendar app" size="lg" readOnly value={calendar.url} onFocus={(e) => e.currentTarget.select()} data-testid="patient-calendar-url" />
              <CopyButton value={calendar.url}>
                {({ copied, copy }) => (
                  <Button size="lg" variant="default" leftSection={<IconCopy size={20} aria-hidden="true" />} onClick={copy} data-testid="patient-calendar-copy">
                    {copied ? 'Copied' : 'Copy the address'}
                  </Button>
                )}
              </CopyButton>
              <Text size="sm">
                Keep this address to yourself. <Anchor component="button" type="button" onClick={() => void addToCalendar()}>Make a new one</Anchor> if you shared it by mistake.
              </Text>
            </Stack>
          ) : (
            <Button size="lg" variant="default" leftSection={<IconCalendarPlus size={22} aria-hidden="true" />} onClick={() => void addToCalendar()} data-testid="patient-calendar">
              Add to my calendar
            </Button>
          )}
          {calendarProblem ? (
            <Alert color="red" variant="light" role="alert">
              {calendarProblem}
            </Alert>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

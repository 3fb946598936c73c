import { Alert, Anchor, Box, Button, Center, Group, Image, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconInfoCircle, IconLogout, IconMail, IconPrinter, IconSwitchHorizontal } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { PatientHomeView } from '../../../../src/engagement/schemas.ts';
import type { PatientProgrammeView } from '../../../../src/programmes/schemas.ts';
import { errorMessage } from '../../app/api.ts';
import { formatLocalDate } from '../../app/format.ts';
import { Brand } from '../../app/Brand.tsx';
import { usePageTitle } from '../../app/ui.tsx';
import type { StoredDevice } from './devices.ts';
import { EntryRow } from './EntryControls.tsx';
import { ExerciseCard, type RecordActions } from './ExerciseCard.tsx';
import { MessagesSection } from './MessagesSection.tsx';
import { patientApi } from './patientApi.ts';
import { dayMonth, itemToday, weekdayName, type LocalEntry } from './plan.ts';
import { ReminderSection } from './ReminderSection.tsx';
import type { KeyValueStore } from './storage.ts';
import { FailedNotices, OfflineNotice, SyncStatus } from './SyncStatus.tsx';
import { useProgramme, type ProgrammeState } from './useProgramme.ts';
import { WeekOverview } from './WeekOverview.tsx';

/**
 * The patient's programme on their device (R-ENG-1..5, R-ENG-8): today's exercises first, with
 * "Done" for each, then the week, the other exercises, messages, reminders, and signing out.
 */
export function ProgrammeHome({
  store,
  device,
  opened,
  canSwitch,
  onSwitch,
  onSignedOut,
  onLeft,
}: {
  store: KeyValueStore;
  device: StoredDevice;
  /** The programme as the code and year of birth just opened it (shown until the first answer). */
  opened: PatientProgrammeView | null;
  canSwitch: boolean;
  onSwitch: () => void;
  /** The server no longer knows this device's token. */
  onSignedOut: () => void;
  /** The patient signed this device out. */
  onLeft: () => void;
}) {
  const state = useProgramme(store, device, opened, onSignedOut);
  usePageTitle(state.home?.programme.title ?? device.title);

  if (!state.home) {
    return (
      <Paper withBorder p="lg">
        {state.unreachable || state.loadError ? (
          <Stack align="flex-start" gap="md">
            <Title order={1} size="h2">
              {device.title}
            </Title>
            <Text>
              {state.loadError ? errorMessage(state.loadError) : 'Your programme cannot be loaded: this phone is offline and has no copy of it yet.'}
            </Text>
            <Button size="lg" onClick={() => void state.refresh()}>
              Try again
            </Button>
          </Stack>
        ) : (
          <Center py="xl" role="status">
            <Loader aria-label="Opening your programme" />
          </Center>
        )}
      </Paper>
    );
  }
  return <Home state={state} home={state.home} device={device} canSwitch={canSwitch} onSwitch={onSwitch} onLeft={onLeft} onSignedOut={onSignedOut} />;
}

function Home({
  state,
  home,
  device,
  canSwitch,
  onSwitch,
  onLeft,
  onSignedOut,
}: {
  state: ProgrammeState;
  home: PatientHomeView;
  device: StoredDevice;
  canSwitch: boolean;
  onSwitch: () => void;
  onLeft: () => void;
  onSignedOut: () => void;
}) {
  const { programme } = home;
  const p = programme.practitioner;
  const from = [p.name, p.practice].filter(Boolean).join(', ');
  const practiceName = home.practice.name ?? p.practice ?? p.name;
  const { today, week, entries } = state;
  const canRecord = home.canRecord;

  const statuses = useMemo(() => programme.items.map((item, index) => itemToday(item, index, week, entries, today)), [programme.items, week, entries, today]);
  const due = statuses.filter((s) => s.due);
  const others = statuses.filter((s) => !s.due);
  const wholeSession = entries.find((e) => e.day === today && e.itemIndex === null) ?? null;
  const actions: RecordActions = { record: state.record, undo: state.undo };

  return (
    <Stack gap="xl" data-testid="patient-programme">
      <Stack gap="md">
        <PracticeHeader name={home.practice.name} logoUrl={home.practice.logoUrl} />
        <Stack gap={6}>
          <Title order={1} size="h1">
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
          <Text size="sm">
            {programme.endDate
              ? `From ${formatLocalDate(programme.startDate, undefined, 'long')} to ${formatLocalDate(programme.endDate, undefined, 'long')}`
              : `From ${formatLocalDate(programme.startDate, undefined, 'long')}`}
          </Text>
        </Stack>
        {home.unreadMessages > 0 ? (
          <Button component="a" href="#messages" size="lg" color="red" variant="light" className="patient-control no-print" leftSection={<IconMail size={22} aria-hidden="true" />} data-testid="patient-unread-link">
            {home.unreadMessages === 1 ? '1 new message from your practice' : `${home.unreadMessages} new messages from your practice`}
          </Button>
        ) : null}
        <SyncStatus sync={state.sync} waiting={state.waiting} />
        {state.notKept ? (
          <Alert color="red" variant="light" role="alert" data-testid="patient-not-kept">
            This phone could not keep what you just recorded. Please try again. If it happens again, tell your practice.
          </Alert>
        ) : null}
        {state.unreachable ? <OfflineNotice savedAt={state.savedAt} /> : null}
        {state.loadError ? (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(state.loadError)}
          </Alert>
        ) : null}
        {!canRecord ? <ReadOnlyNotice notice={programme.notice} phone={p.phone} practice={practiceName} /> : null}
        <FailedNotices failed={state.failed} onDismiss={state.dismiss} />
        <Group gap="sm" className="no-print">
          <Button size="lg" variant="default" leftSection={<IconPrinter size={20} aria-hidden="true" />} onClick={() => window.print()}>
            Print
          </Button>
          {canSwitch ? (
            <Button size="lg" variant="subtle" leftSection={<IconSwitchHorizontal size={20} aria-hidden="true" />} onClick={onSwitch} data-testid="patient-switch">
              Other programmes
            </Button>
          ) : null}
        </Group>
      </Stack>

      <Stack gap="md" component="section" aria-labelledby="today-heading" data-testid="patient-today">
        <Title order={2} id="today-heading">
          Today, {weekdayName(today)} {dayMonth(today)}
        </Title>
        {due.length === 0 ? (
          <Text size="lg" data-testid="patient-today-empty">
            No exercises are planned for today. Rest well.
          </Text>
        ) : canRecord ? (
          <WholeSession entry={wholeSession} trackPain={programme.trackPain} actions={actions} />
        ) : null}
        {due.length > 0 ? (
          <Stack gap="lg" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Today’s exercises">
            {due.map((s) => (
              <ExerciseCard key={s.itemIndex} item={programme.items[s.itemIndex]!} index={s.itemIndex} status={s} canRecord={canRecord} trackPain={programme.trackPain} wholeSession={wholeSession !== null} actions={actions} />
            ))}
          </Stack>
        ) : null}
      </Stack>

      <WeekOverview week={week} entries={entries} today={today} items={programme.items} />

      {others.length > 0 ? (
        <Stack gap="md" component="section" aria-labelledby="others-heading">
          <Title order={2} id="others-heading">
            {due.length > 0 ? 'Your other exercises' : 'Your exercises'}
          </Title>
          <Stack gap="lg" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Other exercises">
            {others.map((s) => (
              <ExerciseCard key={s.itemIndex} item={programme.items[s.itemIndex]!} index={s.itemIndex} status={s} canRecord={canRecord} trackPain={programme.trackPain} wholeSession={false} actions={actions} />
            ))}
          </Stack>
        </Stack>
      ) : null}

      <Text>Stop and contact {p.practice ?? p.name} if an exercise causes pain or you are unsure how to do it.</Text>

      <MessagesSection state={state} canSend={canRecord} practiceName={practiceName} />

      <ReminderSection
        token={device.token}
        reminder={home.reminder}
        canChange={canRecord}
        onChanged={(reminder) => state.keepHome({ ...home, reminder })}
        onSignedOut={onSignedOut}
      />

      <SignOutDevice token={device.token} waiting={state.waiting + state.waitingMessages.length} onLeft={onLeft} />
    </Stack>
  );
}

/** The practice's logo and name on top (R-ENG-8). */
function PracticeHeader({ name, logoUrl }: { name: string | null; logoUrl: string | null }) {
  if (!name && !logoUrl) {
    return (
      <Group component="header">
        <Brand />
      </Group>
    );
  }
  return (
    <Group gap="md" wrap="nowrap" component="header" data-testid="patient-practice">
      {logoUrl ? <Image src={logoUrl} alt={name ? `${name} logo` : 'Practice logo'} className="patient-logo" /> : null}
      {name ? (
        <Text fw={700} size="xl">
          {name}
        </Text>
      ) : null}
    </Group>
  );
}

/** R-ENG-3: why nothing new is saved, and the patient's first question answered. */
function ReadOnlyNotice({ notice, phone, practice }: { notice: string | null; phone: string | null; practice: string }) {
  return (
    <Alert color="orange" variant="light" icon={<IconInfoCircle size={24} aria-hidden="true" />} data-testid="programme-notice" styles={{ title: { fontSize: 'var(--mantine-font-size-lg)', color: 'var(--mantine-color-orange-9)' } }} title="New ticks are not being saved">
      <Stack gap="xs">
        <Text>{notice ?? 'This programme is closed for now.'}</Text>
        <Text fw={700}>Can I still do my exercises?</Text>
        <Text data-testid="programme-notice-answer">
          You can still read your exercises here. New ticks and messages are not being saved. Please contact {practice}
          {phone ? (
            <>
              {' '}
              on <a href={`tel:${phone}`}>{phone}</a>
            </>
          ) : null}{' '}
          to ask whether to carry on.
        </Text>
      </Stack>
    </Alert>
  );
}

/** "I did the whole session": one tick for all of today's exercises (R-ENG-1). */
function WholeSession({ entry, trackPain, actions }: { entry: LocalEntry | null; trackPain: boolean; actions: RecordActions }) {
  const [open, setOpen] = useState(false);
  if (entry) {
    return (
      <EntryRow
        entry={entry}
        label="Whole session done"
        editable
        showSets={false}
        trackPain={trackPain}
        open={open}
        onOpen={setOpen}
        onSave={(values) => actions.record(null, values, entry)}
        onUndo={() => {
          actions.undo(entry);
          setOpen(false);
        }}
      />
    );
  }
  return (
    <Stack gap={4} className="no-print">
      <Button
        size="xl"
        variant="light"
        fullWidth
        leftSection={<IconCheck size={28} aria-hidden="true" />}
        onClick={() => {
          if (actions.record(null, { setsDone: null, pain: null, difficulty: null, comment: null }) && trackPain) setOpen(true);
        }}
        data-testid="patient-whole-session"
      >
        I did the whole session
      </Button>
      <Text size="sm">This ticks all of today’s exercises at once.</Text>
    </Stack>
  );
}

/** Forgets this device (R-PRG-2): the code and year of birth are needed again. */
function SignOutDevice({ token, waiting, onLeft }: { token: string; waiting: number; onLeft: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const leave = async () => {
    setBusy(true);
    try {
      await patientApi.signOut(token);
    } catch {
      // Offline or already signed out: this phone forgets the programme either way.
    }
    onLeft();
  };
  return (
    <Box className="no-print" pt="lg" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      {asking ? (
        <Paper withBorder p="md" data-testid="patient-sign-out-confirm">
          <Stack gap="sm">
            <Text fw={700}>Sign out of this device?</Text>
            <Text>To open your programme again you will need the code and your year of birth.</Text>
            {waiting > 0 ? (
              <Text fw={700} c="red.8">
                {waiting === 1 ? 'One thing you recorded has not been sent yet and will be lost.' : `${waiting} things you recorded have not been sent yet and will be lost.`}
              </Text>
            ) : null}
            <Group gap="sm">
              <Button size="lg" color="red" loading={busy} onClick={() => void leave()} data-testid="patient-sign-out-yes">
                Yes, sign out
              </Button>
              <Button size="lg" variant="default" onClick={() => setAsking(false)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : (
        <Anchor component="button" type="button" c="gray.8" onClick={() => setAsking(true)} data-testid="patient-sign-out" style={{ minHeight: 48 }}>
          <IconLogout size={18} aria-hidden="true" style={{ verticalAlign: '-3px' }} /> Sign out of this device
        </Anchor>
      )}
    </Box>
  );
}

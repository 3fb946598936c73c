import '../engagement/patient/patient.css';
import { Box, Container, Group, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PatientProgrammeView } from '../../../src/programmes/schemas.ts';
import { Brand } from '../app/Brand.tsx';
import { usePageTitle } from '../app/ui.tsx';
import { findDevice, forgetDevice, openingFor, saveDevice, storedDevices, type StoredDevice } from '../engagement/patient/devices.ts';
import { forgetProgrammeCopy } from '../engagement/patient/homeCache.ts';
import { OpenForm, ProgrammeChooser, type SignedOutReason } from '../engagement/patient/OpenForm.tsx';
import { discardOutbox, readOutbox } from '../engagement/patient/outbox.ts';
import { ProgrammeHome } from '../engagement/patient/ProgrammeHome.tsx';
import { forgetPictures, registerServiceWorker } from '../engagement/patient/serviceWorker.ts';
import { deviceStore } from '../engagement/patient/storage.ts';
import { normaliseCode } from './patientView.ts';

type Stage =
  | { kind: 'form'; code: string; reason: SignedOutReason | null }
  | { kind: 'chooser' }
  | { kind: 'programme'; device: StoredDevice; opened: PatientProgrammeView | null };

/** The code of the link in the patient's email (/programme?code=…), when it is one. */
function linkCodeOf(params: URLSearchParams): string | null {
  const code = normaliseCode(params.get('code') ?? '');
  return /^[a-z]{8}$/.test(code) ? code : null;
}

/**
 * The patient's page (R-PRG-2, R-PRG-3, R-ENG-1..5, R-ENG-8): no account and no app chrome, made for
 * phones, installable and usable offline, and printable. The code and year of birth are typed once;
 * the device then keeps its own token and a returning patient lands on today's exercises.
 */
export function PatientProgrammePage() {
  const [params] = useSearchParams();
  const store = useMemo(() => deviceStore(), []);
  const [stage, setStage] = useState<Stage>(() => {
    const opening = openingFor(storedDevices(store), linkCodeOf(params));
    if (opening.kind === 'programme') return { kind: 'programme', device: opening.device, opened: null };
    if (opening.kind === 'chooser') return { kind: 'chooser' };
    return { kind: 'form', code: opening.code || (params.get('code') ?? ''), reason: null };
  });
  usePageTitle(stage.kind === 'programme' ? '' : 'Your exercise programme');

  useEffect(() => registerServiceWorker(), []);

  const opened = useCallback(
    (code: string, answer: { programme: PatientProgrammeView; deviceToken: string }) => {
      const device = saveDevice(store, { code, token: answer.deviceToken, title: answer.programme.title, firstName: answer.programme.patientFirstName }, new Date());
      setStage({ kind: 'programme', device, opened: answer.programme });
    },
    [store],
  );

  // The server refused the token: it is dropped, with the programme's copy; what waits to be sent stays.
  const signedOut = useCallback(
    (code: string) => {
      forgetDevice(store, code);
      forgetProgrammeCopy(store, code);
      setStage({ kind: 'form', code, reason: 'signed_out' });
    },
    [store],
  );

  const left = useCallback(
    (code: string) => {
      forgetDevice(store, code);
      forgetProgrammeCopy(store, code);
      discardOutbox(store, code);
      if (storedDevices(store).length === 0) void forgetPictures();
      setStage({ kind: 'form', code: '', reason: 'left' });
    },
    [store],
  );

  const devices = storedDevices(store);
  const chooserOrNull = devices.length > 0 ? () => setStage({ kind: 'chooser' }) : null;

  return (
    <Box className="patient-page">
      <a className="skip-link no-print" href="#main">
        Skip to main content
      </a>
      <Container size={760} px={{ base: 'md', sm: 'xl' }} py={{ base: 'md', sm: 'xl' }}>
        {stage.kind !== 'programme' ? (
          <Group justify="space-between" mb="lg" component="header">
            <Brand />
          </Group>
        ) : null}
        <Box component="main" id="main" tabIndex={-1} style={{ outline: 'none' }}>
          {stage.kind === 'programme' ? (
            <ProgrammeHome
              key={stage.device.code}
              store={store}
              device={stage.device}
              opened={stage.opened}
              canSwitch={devices.length > 1}
              onSwitch={() => setStage({ kind: 'chooser' })}
              onSignedOut={() => signedOut(stage.device.code)}
              onLeft={() => left(stage.device.code)}
            />
          ) : stage.kind === 'chooser' ? (
            <ProgrammeChooser
              devices={devices}
              onChoose={(code) => {
                const device = findDevice(store, code);
                if (device) setStage({ kind: 'programme', device, opened: null });
              }}
              onOther={() => setStage({ kind: 'form', code: '', reason: null })}
            />
          ) : (
            <OpenForm
              key={`${stage.code}:${stage.reason ?? ''}`}
              initialCode={stage.code}
              reason={stage.reason}
              waiting={(code) => readOutbox(store, code).ops.length}
              onOpened={opened}
              onBack={chooserOrNull}
            />
          )}
        </Box>
        <Text ta="center" size="sm" mt="xl" className="no-print">
          Motus · home-exercise programmes from your practice
        </Text>
      </Container>
    </Box>
  );
}

import { Badge, Tabs } from '@mantine/core';
import { IconChartLine, IconDeviceMobile, IconMessages } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PatientView } from '../../../../src/patients/schemas.ts';
import type { ProgrammeView } from '../../../../src/programmes/schemas.ts';
import { useAttention } from '../queries.ts';
import { unreadByProgramme } from './engagement.ts';
import { EngagementPanel } from './EngagementPanel.tsx';
import { ProgrammeDevices } from './ProgrammeDevices.tsx';
import { ProgrammeMessages } from './ProgrammeMessages.tsx';

const TABS = ['progress', 'messages', 'devices'] as const;
type Tab = (typeof TABS)[number];

function asTab(value: string | null): Tab | null {
  return TABS.find((t) => t === value) ?? null;
}

/**
 * Under each programme on the patient page: progress (R-ENG-6), the thread with the patient
 * (R-ENG-5) and the devices that opened it (R-PRG-2). Only the open tab is loaded. A link from the
 * home page's attention list (?programme=…&tab=…) opens the right tab and brings it into view.
 */
export function ProgrammeEngagement({ programme, patient }: { programme: ProgrammeView; patient: PatientView }) {
  const [params] = useSearchParams();
  const linked = params.get('programme') === programme.id;
  const [tab, setTab] = useState<Tab | null>(() => (linked ? (asTab(params.get('tab')) ?? 'progress') : programme.state === 'ended' ? null : 'progress'));
  const attention = useAttention(true, false);
  const unread = attention.data ? unreadByProgramme(attention.data).get(programme.id) : undefined;
  const anchor = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!linked) return;
    setTab(asTab(params.get('tab')) ?? 'progress');
    anchor.current?.scrollIntoView({ block: 'start' });
    anchor.current?.focus({ preventScroll: true });
  }, [linked, params]);

  return (
    <div ref={anchor} id={`programme-${programme.id}`} tabIndex={-1} style={{ outline: 'none' }} data-testid="programme-engagement">
      <Tabs value={tab} onChange={(value) => setTab(asTab(value))} allowTabDeactivation keepMounted={false} variant="outline">
        <Tabs.List aria-label={`${programme.title}: progress, messages and devices`}>
          <Tabs.Tab value="progress" leftSection={<IconChartLine size={16} aria-hidden="true" />}>
            Progress
          </Tabs.Tab>
          <Tabs.Tab
            value="messages"
            leftSection={<IconMessages size={16} aria-hidden="true" />}
            rightSection={
              unread ? (
                <Badge size="xs" color="indigo" data-testid="unread-messages" title={unread}>
                  new<span className="visually-hidden">: {unread}</span>
                </Badge>
              ) : null
            }
          >
            Messages
          </Tabs.Tab>
          <Tabs.Tab value="devices" leftSection={<IconDeviceMobile size={16} aria-hidden="true" />}>
            Devices
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="progress" pt="md">
          <EngagementPanel programme={programme} />
        </Tabs.Panel>
        <Tabs.Panel value="messages" pt="md">
          <ProgrammeMessages programme={programme} patientFirstName={patient.firstName} />
        </Tabs.Panel>
        <Tabs.Panel value="devices" pt="md">
          <ProgrammeDevices programme={programme} />
        </Tabs.Panel>
      </Tabs>
    </div>
  );
}

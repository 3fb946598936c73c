import { Anchor, Text } from '@mantine/core';
import { IconMailbox } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useMailboxAvailable } from './mailbox.ts';

/** Only shown where the server runs with a local mailbox (development and demos). */
export function MailboxFooterLink() {
  const available = useMailboxAvailable();
  if (!available) return null;
  return (
    <Text size="sm" c="dimmed">
      <IconMailbox size={14} aria-hidden="true" style={{ verticalAlign: '-2px', marginRight: 4 }} />
      Running locally?{' '}
      <Anchor component={Link} to="/dev/mailbox" inherit>
        Open the development mailbox
      </Anchor>
    </Text>
  );
}

import { Anchor, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconReceipt } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../app/api.ts';
import { SUBSCRIPTION_BILLING } from '../console/billing.ts';
import type { SubscriptionQuote } from './types.ts';

interface SubscriptionQuoteBoxProps {
  quote: SubscriptionQuote | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** The sentences of the quote (what is charged now, and then each month). */
  describe: (quote: SubscriptionQuote) => string[];
  /** Whether the action needs a card and none is on file. */
  needsCard: boolean;
  /** Closes the dialog the box is in, before going to the cards below. */
  onGoToCards: () => void;
  /** A note on top, e.g. that the price changed since it was shown. */
  notice?: ReactNode;
}

/**
 * R-LIC-2 for subscriptions: the exact prorated amount an action charges, shown before it is
 * confirmed (and sent back as `confirmedChargeMinor`), and the missing card that would stop it.
 */
export function SubscriptionQuoteBox({ quote, loading, error, onRetry, describe, needsCard, onGoToCards, notice }: SubscriptionQuoteBoxProps) {
  let tone: 'neutral' | 'purchase' | 'blocked' = 'neutral';
  let body: ReactNode;
  if (!quote && loading) {
    body = (
      <Group gap="xs">
        <Loader size={16} aria-hidden="true" />
        <Text size="sm" c="dimmed">
          Working out the price…
        </Text>
      </Group>
    );
  } else if (!quote) {
    tone = 'blocked';
    body = (
      <Stack gap={6} align="flex-start">
        <Text size="sm">The price could not be checked. {error ? errorMessage(error) : ''}</Text>
        <Button size="xs" variant="white" color="red" onClick={onRetry}>
          Check again
        </Button>
      </Stack>
    );
  } else {
    tone = needsCard ? 'blocked' : quote.totalMinor > 0 ? 'purchase' : 'neutral';
    body = (
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconReceipt size={18} aria-hidden="true" style={{ flexShrink: 0, marginTop: 2 }} />
          <Stack gap={4}>
            {describe(quote).map((line) => (
              <Text size="sm" fw={500} key={line}>
                {line}
              </Text>
            ))}
          </Stack>
        </Group>
        {needsCard ? (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconAlertTriangle size={18} aria-hidden="true" color="var(--mantine-color-red-7)" style={{ flexShrink: 0, marginTop: 2 }} />
            <Stack gap={6} align="flex-start">
              <Text size="sm" c="red.8" fw={500}>
                A paid subscription needs a card on file, and none is on file yet.{' '}
                <Anchor component={Link} to={`${SUBSCRIPTION_BILLING.page}#payment-methods`} inherit fw={600} onClick={onGoToCards}>
                  Add a card
                </Anchor>
              </Text>
              <Button size="xs" variant="white" color="dark" onClick={onRetry} loading={loading}>
                Check again
              </Button>
            </Stack>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            Charges go on your next invoice, paid with the card on file.
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <div className="quote-box" data-tone={tone} data-testid="subscription-quote" aria-live="polite">
      <Stack gap={6}>
        {notice}
        {body}
      </Stack>
    </div>
  );
}

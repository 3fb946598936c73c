import { Anchor, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconReceipt } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../app/api.ts';
import { describePurchase } from './money.ts';
import type { BillingMode, Quote } from './types.ts';

interface QuoteBoxProps {
  quote: Quote | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** The action with its person, e.g. "Adding Jane". */
  doing: string;
  billingMode: BillingMode;
  orgId: string;
  isOwner: boolean;
  ownerName: string;
  /** Shown instead of a price when the action needs no licence at all. */
  noLicenceNeeded?: ReactNode;
  /** A note on top, e.g. that the price changed since it was shown. */
  notice?: ReactNode;
}

/**
 * R-LIC-2: the exact prorated price of the licence an action would buy, shown before confirming,
 * and the missing payment method that would stop it.
 */
export function QuoteBox({ quote, loading, error, onRetry, doing, billingMode, orgId, isOwner, ownerName, noLicenceNeeded, notice }: QuoteBoxProps) {
  let tone: 'neutral' | 'purchase' | 'blocked' = 'neutral';
  let body: ReactNode;
  if (noLicenceNeeded) {
    body = (
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <IconCircleCheck size={18} aria-hidden="true" color="var(--mantine-color-green-7)" style={{ flexShrink: 0, marginTop: 2 }} />
        <Text size="sm">{noLicenceNeeded}</Text>
      </Group>
    );
  } else if (!quote && loading) {
    body = (
      <Group gap="xs">
        <Loader size={16} aria-hidden="true" />
        <Text size="sm" c="dimmed">
          Checking the licences…
        </Text>
      </Group>
    );
  } else if (!quote) {
    tone = 'blocked';
    body = (
      <Stack gap={6} align="flex-start">
        <Text size="sm">The licence price could not be checked. {error ? errorMessage(error) : ''}</Text>
        <Button size="xs" variant="white" color="red" onClick={onRetry}>
          Check again
        </Button>
      </Stack>
    );
  } else if (quote.quantity === 0) {
    body = (
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <IconCircleCheck size={18} aria-hidden="true" color="var(--mantine-color-green-7)" style={{ flexShrink: 0, marginTop: 2 }} />
        <Text size="sm">{describePurchase(quote, doing)}</Text>
      </Group>
    );
  } else {
    tone = quote.paymentMethodRequired ? 'blocked' : 'purchase';
    body = (
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconReceipt size={18} aria-hidden="true" style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="sm" fw={500}>
            {describePurchase(quote, doing)}
          </Text>
        </Group>
        {quote.paymentMethodRequired ? (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconAlertTriangle size={18} aria-hidden="true" color="var(--mantine-color-red-7)" style={{ flexShrink: 0, marginTop: 2 }} />
            <Stack gap={6} align="flex-start">
              <Text size="sm" c="red.8" fw={500}>
                Buying a licence needs a payment method, and none is on file.{' '}
                {isOwner ? (
                  <Anchor component={Link} to={`/console/${orgId}/billing#payment-methods`} inherit fw={600}>
                    Add a card under Licences &amp; billing
                  </Anchor>
                ) : (
                  <>Ask {ownerName} to add a card under Licences &amp; billing.</>
                )}
              </Text>
              <Button size="xs" variant="white" color="dark" onClick={onRetry} loading={loading}>
                Check again
              </Button>
            </Stack>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {billingMode === 'manual'
              ? "Billed manually: the charge goes on the organisation's next invoice."
              : "The charge goes on the organisation's next invoice, paid with the card on file."}
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <div className="quote-box" data-tone={tone} data-testid="licence-quote" aria-live="polite">
      <Stack gap={6}>
        {notice}
        {body}
      </Stack>
    </div>
  );
}

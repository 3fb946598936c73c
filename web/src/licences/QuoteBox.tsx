import { Anchor, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconReceipt } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { QuoteView } from '../../../src/licences/schemas.ts';
import type { BillingMode } from '../../../src/organisations/schemas.ts';
import { errorMessage } from '../app/api.ts';
import { describePurchase } from '../billing/money.ts';

interface QuoteBoxProps {
  quote: QuoteView | undefined;
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
  let tone: QuoteTone = 'neutral';
  let body: ReactNode;
  if (noLicenceNeeded) {
    body = <NothingToBuy>{noLicenceNeeded}</NothingToBuy>;
  } else if (!quote && loading) {
    body = <QuotePending label="Checking the licences…" />;
  } else if (!quote) {
    tone = 'blocked';
    body = <QuoteFailed subject="licence price" error={error} onRetry={onRetry} />;
  } else if (quote.quantity === 0) {
    body = <NothingToBuy>{describePurchase(quote, doing)}</NothingToBuy>;
  } else {
    tone = quote.paymentMethodRequired ? 'blocked' : 'purchase';
    body = (
      <QuoteCharge
        lines={[describePurchase(quote, doing)]}
        onRetry={onRetry}
        loading={loading}
        missingCard={
          quote.paymentMethodRequired ? (
            <>
              Buying a licence needs a payment method, and none is on file.{' '}
              {isOwner ? (
                <Anchor component={Link} to={`/console/${orgId}/billing#payment-methods`} inherit fw={600}>
                  Add a card under Licences &amp; billing
                </Anchor>
              ) : (
                <>Ask {ownerName} to add a card under Licences &amp; billing.</>
              )}
            </>
          ) : null
        }
        footnote={billingMode === 'manual' ? "Billed manually: the charge goes on the organisation's next invoice." : "The charge goes on the organisation's next invoice, paid with the card on file."}
      />
    );
  }
  return (
    <QuoteFrame tone={tone} testId="licence-quote" notice={notice}>
      {body}
    </QuoteFrame>
  );
}

// The pieces of a quote box, shared by the organisation's and the subscription's.

export type QuoteTone = 'neutral' | 'purchase' | 'blocked';

/** The box itself: its tone colours it; screen readers hear its changes. */
export function QuoteFrame({ tone, testId, notice, children }: { tone: QuoteTone; testId: string; notice?: ReactNode; children: ReactNode }) {
  return (
    <div className="quote-box" data-tone={tone} data-testid={testId} aria-live="polite">
      <Stack gap={6}>
        {notice}
        {children}
      </Stack>
    </div>
  );
}

export function QuotePending({ label }: { label: string }) {
  return (
    <Group gap="xs">
      <Loader size={16} aria-hidden="true" />
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

/** The price could not be read: why, and a way to try again. */
export function QuoteFailed({ subject, error, onRetry }: { subject: string; error: unknown; onRetry: () => void }) {
  return (
    <Stack gap={6} align="flex-start">
      <Text size="sm">
        The {subject} could not be checked. {error ? errorMessage(error) : ''}
      </Text>
      <Button size="xs" variant="white" color="red" onClick={onRetry}>
        Check again
      </Button>
    </Stack>
  );
}

function NothingToBuy({ children }: { children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <IconCircleCheck size={18} aria-hidden="true" color="var(--mantine-color-green-7)" style={{ flexShrink: 0, marginTop: 2 }} />
      <Text size="sm">{children}</Text>
    </Group>
  );
}

/**
 * What an action charges, line by line; then either the missing card that stops it (with a way to
 * check again once one is added) or where the charge goes.
 */
export function QuoteCharge({ lines, missingCard, footnote, onRetry, loading }: { lines: string[]; missingCard: ReactNode; footnote: ReactNode; onRetry: () => void; loading: boolean }) {
  return (
    <Stack gap={6}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <IconReceipt size={18} aria-hidden="true" style={{ flexShrink: 0, marginTop: 2 }} />
        <Stack gap={4}>
          {lines.map((line) => (
            <Text size="sm" fw={500} key={line}>
              {line}
            </Text>
          ))}
        </Stack>
      </Group>
      {missingCard ? (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconAlertTriangle size={18} aria-hidden="true" color="var(--mantine-color-red-7)" style={{ flexShrink: 0, marginTop: 2 }} />
          <Stack gap={6} align="flex-start">
            <Text size="sm" c="red.8" fw={500}>
              {missingCard}
            </Text>
            <Button size="xs" variant="white" color="dark" onClick={onRetry} loading={loading}>
              Check again
            </Button>
          </Stack>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          {footnote}
        </Text>
      )}
    </Stack>
  );
}

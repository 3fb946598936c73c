import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { SubscriptionQuoteView } from '../../../src/subscriptions/schemas.ts';
import { SUBSCRIPTION_BILLING } from '../billing/billing.ts';
import { QuoteCharge, QuoteFailed, QuoteFrame, QuotePending, type QuoteTone } from '../licences/QuoteBox.tsx';

interface SubscriptionQuoteBoxProps {
  quote: SubscriptionQuoteView | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** The sentences of the quote (what is charged now, and then each month). */
  describe: (quote: SubscriptionQuoteView) => string[];
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
  let tone: QuoteTone = 'neutral';
  let body: ReactNode;
  if (!quote && loading) {
    body = <QuotePending label="Working out the price…" />;
  } else if (!quote) {
    tone = 'blocked';
    body = <QuoteFailed subject="price" error={error} onRetry={onRetry} />;
  } else {
    tone = needsCard ? 'blocked' : quote.totalMinor > 0 ? 'purchase' : 'neutral';
    body = (
      <QuoteCharge
        lines={describe(quote)}
        onRetry={onRetry}
        loading={loading}
        missingCard={
          needsCard ? (
            <>
              A paid subscription needs a card on file, and none is on file yet.{' '}
              <Anchor component={Link} to={`${SUBSCRIPTION_BILLING.page}#payment-methods`} inherit fw={600} onClick={onGoToCards}>
                Add a card
              </Anchor>
            </>
          ) : null
        }
        footnote="Charges go on your next invoice, paid with the card on file."
      />
    );
  }
  return (
    <QuoteFrame tone={tone} testId="subscription-quote" notice={notice}>
      {body}
    </QuoteFrame>
  );
}

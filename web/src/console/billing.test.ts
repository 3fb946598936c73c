import { describe, expect, it } from 'vitest';
import { cardRules, organisationBilling, SUBSCRIPTION_BILLING } from './billing.ts';

describe('billing scopes', () => {
  it("puts an organisation's cards and invoices under its console and API paths", () => {
    const billing = organisationBilling('o-1');
    expect(billing.key).toEqual(['organisation', 'o-1']);
    expect(billing.api('/invoices')).toBe('/api/organisations/o-1/invoices');
    expect(billing.api()).toBe('/api/organisations/o-1');
    expect(billing.page).toBe('/console/o-1/billing');
    expect(billing.invoicePage('i-1')).toBe('/console/o-1/billing/invoices/i-1');
  });

  it("puts the person's own subscription under /subscription (the invoice email's link)", () => {
    expect(SUBSCRIPTION_BILLING.api('/payment-methods')).toBe('/api/me/subscription/payment-methods');
    expect(SUBSCRIPTION_BILLING.invoicePage('i-1')).toBe('/subscription/invoices/i-1');
    expect(SUBSCRIPTION_BILLING.key).toEqual(['subscription']);
  });

  it('names whose card rules apply', () => {
    expect(cardRules('organisation').onlyCard).toContain('An organisation billed by card');
    expect(cardRules('subscription').onlyCard).toContain('A paid subscription');
  });
});

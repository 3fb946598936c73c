import { afterEach, describe, expect, it, vi } from 'vitest';
import { cardRules, organisationBilling, SUBSCRIPTION_BILLING } from './billing.ts';

describe('billing scopes', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("puts an organisation's cards and invoices under its console and API paths", () => {
    const billing = organisationBilling('o-1');
    expect(billing.key).toEqual(['organisation', 'o-1']);
    expect(billing.invoiceDocument('i-1')).toBe('/api/organisations/o-1/invoices/i-1/document');
    expect(billing.page).toBe('/console/o-1/billing');
    expect(billing.invoicePage('i-1')).toBe('/console/o-1/billing/invoices/i-1');
  });

  it("puts the person's own subscription under /subscription (the invoice email's link)", () => {
    expect(SUBSCRIPTION_BILLING.invoiceDocument('i-1')).toBe('/api/me/subscription/invoices/i-1/document');
    expect(SUBSCRIPTION_BILLING.invoicePage('i-1')).toBe('/subscription/invoices/i-1');
    expect(SUBSCRIPTION_BILLING.key).toEqual(['subscription']);
  });

  it("asks each account's own routes", async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      asked.push(`${init.method} ${url}`);
      return new Response(JSON.stringify({ invoices: [], paymentMethods: [] }), { status: 200 });
    });
    await organisationBilling('o 1').requests.invoices();
    await SUBSCRIPTION_BILLING.requests.removeCard('p-1');
    await SUBSCRIPTION_BILLING.requests.paymentMethods();
    expect(asked).toEqual(['GET /api/organisations/o%201/invoices', 'DELETE /api/me/subscription/payment-methods/p-1', 'GET /api/me/subscription/payment-methods']);
  });

  it('names whose card rules apply', () => {
    expect(cardRules('organisation').onlyCard).toContain('An organisation billed by card');
    expect(cardRules('subscription').onlyCard).toContain('A paid subscription');
  });
});

import { formatMoney } from '../licences/service.ts';
import { escapeHtml } from '../mail/template.ts';
import type { InvoiceDetailView, InvoiceLineView } from './schemas.ts';

/** What the printed page shows of an invoice. */
export type InvoiceDocument = Pick<InvoiceDetailView, 'number' | 'kind' | 'period' | 'localDate' | 'currency' | 'subtotalMinor' | 'creditAppliedMinor' | 'totalMinor' | 'creditCarriedMinor' | 'collection' | 'status'> & {
  lines: Array<Pick<InvoiceLineView, 'description' | 'quantity' | 'unitPriceMinor' | 'amountMinor'>>;
};

/** R-LIC-6: the invoice as a page that prints cleanly (A4, no navigation, black on white). */
export function renderInvoiceHtml(inv: InvoiceDocument, org: { name: string; practice: Record<string, string | undefined>; billingContactEmail: string | null }): string {
  const money = (m: number) => escapeHtml(formatMoney(m, inv.currency));
  const status = inv.status === 'paid' ? 'Paid' : inv.status === 'nothing_due' ? 'Nothing due' : inv.collection === 'manual' ? 'Due (manual collection)' : inv.status === 'failed' ? 'Payment failed' : 'Due';
  const rows = inv.lines
    .map((l) => `<tr><td>${escapeHtml(l.description)}</td><td class="num">${l.quantity ?? ''}</td><td class="num">${l.unitPriceMinor === null ? '' : money(l.unitPriceMinor)}</td><td class="num">${money(l.amountMinor)}</td></tr>`)
    .join('\n');
  const address = [org.practice.address, org.practice.phone, org.billingContactEmail].filter(Boolean).map((x) => escapeHtml(String(x))).join('<br>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invoice ${inv.number} — ${escapeHtml(org.name)}</title>
<style>
  @page { size: A4; margin: 18mm; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; max-width: 800px; margin: 24px auto; padding: 0 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .muted { color: #555; }
  header { display: flex; justify-content: space-between; gap: 24px; margin-bottom: 24px; }
  table { width: 100%; border-collapse: collapse; margin-top: 12px; }
  th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
  .num { text-align: right; white-space: nowrap; }
  tfoot td { border: none; }
  tfoot tr.total td { font-weight: 700; font-size: 16px; border-top: 2px solid #111; }
  @media print { body { margin: 0; } .no-print { display: none; } }
</style></head>
<body>
<header>
  <div><h1>Invoice ${inv.number}</h1>
  <div class="muted">${inv.period ? `Period ${escapeHtml(inv.period)} · ` : 'Pending charges · '}Issued ${escapeHtml(inv.localDate)}</div>
  <div><strong>${escapeHtml(status)}</strong></div></div>
  <div><strong>${escapeHtml(org.name)}</strong><br>${address}</div>
</header>
<table>
<thead><tr><th>Description</th><th class="num">Qty</th><th class="num">Unit price</th><th class="num">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><td colspan="3" class="num">Subtotal</td><td class="num">${money(inv.subtotalMinor)}</td></tr>
${inv.creditAppliedMinor ? `<tr><td colspan="3" class="num">Credit applied</td><td class="num">−${money(inv.creditAppliedMinor)}</td></tr>` : ''}
<tr class="total"><td colspan="3" class="num">Total due</td><td class="num">${money(inv.totalMinor)}</td></tr>
${inv.creditCarriedMinor ? `<tr><td colspan="3" class="num muted">Credit carried forward</td><td class="num muted">${money(inv.creditCarriedMinor)}</td></tr>` : ''}
</tfoot>
</table>
<p class="muted">Charges and credits for licences added or removed during a month are prorated by day: price × days remaining in the month ÷ days in the month, rounded to the nearest minor unit (halves up). Credits are never paid out; they reduce later invoices.</p>
</body></html>`;
}

import nodemailer, { type Transporter } from 'nodemailer';
import { enqueueJob, type JobRunner } from '../jobs/runner.ts';
import type { Db, Tx } from '../platform/db/database.ts';
import type { Clock } from '../platform/clock.ts';
import { newId } from '../platform/crypto.ts';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe (RFC 8058) on reminders (R-ENG-4). */
  headers?: Record<string, string>;
}

export const MAIL_JOB = 'mail.deliver';

/**
 * Queues a message inside the caller's transaction, with the job that delivers it: both exist
 * exactly when the change that caused them committed. Delivery happens after commit, never inside a
 * transaction.
 */
export async function queueEmail(tx: Tx, clock: Clock, message: EmailMessage): Promise<void> {
  const id = newId();
  await tx
    .insertInto('outbox_emails')
    .values({
      id,
      to_address: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
      headers: message.headers ? JSON.stringify(message.headers) : null,
      created_at: clock.now(),
      sent_at: null,
      last_error: null,
    })
    .execute();
  await enqueueJob(tx, clock, { kind: MAIL_JOB, payload: { emailId: id }, maxAttempts: 8 });
}

/**
 * Delivers queued mail over SMTP when SMTP_URL is set, as jobs (retried with back-off). Without SMTP
 * the messages stay in the outbox, where the development mailbox page (or `motus mail list`) shows
 * them.
 */
export function defineMailDelivery(runner: JobRunner, db: Db, clock: Clock, smtpUrl: string | undefined, from: string): { close(): void } {
  const transport: Transporter | null = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  runner.define(MAIL_JOB, {
    maxAttempts: 8,
    async run(job) {
      if (!transport) return;
      const m = await db.selectFrom('outbox_emails').selectAll().where('id', '=', String(job.payload.emailId)).executeTakeFirst();
      if (!m || m.status === 'sent') return;
      try {
        await transport.sendMail({ from, to: m.to_address, subject: m.subject, text: m.text_body, ...(m.html_body ? { html: m.html_body } : {}), ...(m.headers ? { headers: m.headers } : {}) });
      } catch (err) {
        const last = job.attempts >= job.maxAttempts;
        await db
          .updateTable('outbox_emails')
          .set({ attempts: job.attempts, status: last ? 'failed' : 'pending', last_error: String((err as Error).message).slice(0, 500) })
          .where('id', '=', m.id)
          .execute();
        throw err;
      }
      await db.updateTable('outbox_emails').set({ status: 'sent', sent_at: clock.now(), attempts: job.attempts, last_error: null }).where('id', '=', m.id).execute();
    },
  });
  return { close: () => transport?.close() };
}

/** Links in a message body, for the development mailbox. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}

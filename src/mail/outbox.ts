import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Tx } from '../platform/db/database.ts';
import type { Clock } from '../platform/clock.ts';
import { newId } from '../platform/crypto.ts';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Queues a message inside the caller's transaction: it exists exactly when the change that caused
 * it committed. Sending happens after commit (MailDispatcher), never inside a transaction.
 */
export async function queueEmail(tx: Tx, clock: Clock, message: EmailMessage): Promise<void> {
  await tx
    .insertInto('outbox_emails')
    .values({
      id: newId(),
      to_address: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
      created_at: clock.now(),
      sent_at: null,
      last_error: null,
    })
    .execute();
}

const MAX_ATTEMPTS = 8;

/**
 * Sends queued mail over SMTP when SMTP_URL is set. Without SMTP the messages stay in the outbox,
 * where the development mailbox page (or `motus mail list`) shows them.
 */
export class MailDispatcher {
  readonly #transport: Transporter | null;
  #running: Promise<void> | null = null;
  #again = false;

  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: FastifyBaseLogger;
  readonly #from: string;

  constructor(db: Db, clock: Clock, log: FastifyBaseLogger, smtpUrl: string | undefined, from: string) {
    this.#db = db;
    this.#clock = clock;
    this.#log = log;
    this.#from = from;
    this.#transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  get sends(): boolean {
    return this.#transport !== null;
  }

  /** Asks for a delivery round after a commit; returns at once. */
  kick(): void {
    if (!this.#transport) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#deliver()
      .catch((err: unknown) => this.#log.error({ err }, 'mail delivery round failed'))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Waits for the current round (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #deliver(): Promise<void> {
    const pending = await this.#db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .limit(50)
      .execute();
    for (const m of pending) {
      // Claim the row first, so that a second process does not send it too.
      const claimed = await this.#db
        .updateTable('outbox_emails')
        .set({ attempts: m.attempts + 1 })
        .where('id', '=', m.id)
        .where('status', '=', 'pending')
        .where('attempts', '=', m.attempts)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      try {
        await this.#transport!.sendMail({
          from: this.#from,
          to: m.to_address,
          subject: m.subject,
          text: m.text_body,
          ...(m.html_body ? { html: m.html_body } : {}),
        });
        await this.#db.updateTable('outbox_emails').set({ status: 'sent', sent_at: this.#clock.now(), last_error: null }).where('id', '=', m.id).execute();
      } catch (err) {
        const failed = m.attempts + 1 >= MAX_ATTEMPTS;
        await this.#db
          .updateTable('outbox_emails')
          .set({ status: failed ? 'failed' : 'pending', last_error: String((err as Error).message).slice(0, 500) })
          .where('id', '=', m.id)
          .execute();
        this.#log.warn({ err, emailId: m.id }, 'mail delivery failed');
      }
    }
  }

  async close(): Promise<void> {
    await this.idle();
    this.#transport?.close();
  }
}

/** Links in a message body, for the development mailbox. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
}

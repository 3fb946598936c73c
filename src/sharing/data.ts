import type { ExpressionBuilder } from 'kysely';
import type { Tx } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';

/**
 * The open shares made to an account, as `patient_shares as s`, for the caller to join and select
 * from inside its own statement (the patient visibility rule, R-PAT-2).
 */
export function openSharesTo(eb: ExpressionBuilder<Database, 'patients'>, accountId: string) {
  return eb.selectFrom('patient_shares as s').where('s.to_account_id', '=', accountId).where('s.ended_at', 'is', null);
}

/** R-TRF-1: a transfer ends the open shares of the moved patients. Answers the shares ended. */
export function endSharesOfTransferredPatients(tx: Tx, patientIds: string[], now: Date): Promise<Array<{ id: string; patient_id: string; to_account_id: string }>> {
  return tx.updateTable('patient_shares').set({ ended_at: now, end_reason: 'transferred' }).where('patient_id', 'in', patientIds).where('ended_at', 'is', null).returning(['id', 'patient_id', 'to_account_id']).execute();
}

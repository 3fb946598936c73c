/** Pure helpers of the Sharing & content page: the editable part of the sharing settings (R-SHR-1, R-SHR-2). */
import type { ClientInput } from '../../../src/platform/http/contract.ts';
import type { sharingContracts, SharingSettingsView } from '../../../src/sharing/schemas.ts';

/** The editable part of the sharing settings: the body of PUT …/sharing. */
export type SharingBody = ClientInput<typeof sharingContracts.updateSettings>['body'];

/**
 * The editable part of the sharing settings. Only active practitioners can be chosen (the server
 * refuses anyone else), so members listed as chosen who no longer hold practitioner access are
 * left out rather than sent back.
 */
export function sharingBodyFrom(settings: SharingSettingsView): SharingBody {
  const practitioner = new Set(settings.practitioners.map((p) => p.id));
  const contentAccountMemberId = settings.contentAccountMemberId && practitioner.has(settings.contentAccountMemberId) ? settings.contentAccountMemberId : null;
  return {
    sharePatients: settings.sharePatients,
    shareContent: settings.shareContent,
    groupMemberIds: settings.groupMemberIds.filter((id) => practitioner.has(id)),
    contentAccountMemberId,
    contentRecipientIds: contentAccountMemberId ? settings.contentRecipientIds.filter((id) => practitioner.has(id) && id !== contentAccountMemberId) : [],
  };
}

/** Chooses the content account (or none); it does not receive its own content, and without one nobody receives any. */
export function withContentAccount(values: SharingBody, memberId: string | null): SharingBody {
  return {
    ...values,
    contentAccountMemberId: memberId,
    contentRecipientIds: memberId ? values.contentRecipientIds.filter((id) => id !== memberId) : [],
  };
}

import { describe, expect, it } from 'vitest';
import type { SharingSettingsView } from '../../../src/sharing/schemas.ts';
import { sharingBodyFrom, withContentAccount } from './sharing.ts';

describe('sharing settings', () => {
  const settings: SharingSettingsView = {
    sharePatients: true,
    shareContent: false,
    groupMemberIds: ['a', 'gone'],
    contentAccountMemberId: 'b',
    contentRecipientIds: ['a', 'b', 'gone'],
    practitioners: [
      { id: 'a', name: 'Ann' },
      { id: 'b', name: 'Bob' },
      { id: 'c', name: 'Cleo' },
    ],
  };

  it('keeps only active practitioners, and not the content account among its recipients', () => {
    expect(sharingBodyFrom(settings)).toEqual({ sharePatients: true, shareContent: false, groupMemberIds: ['a'], contentAccountMemberId: 'b', contentRecipientIds: ['a'] });
    expect(sharingBodyFrom({ ...settings, contentAccountMemberId: 'gone' }).contentAccountMemberId).toBeNull();
    expect(sharingBodyFrom({ ...settings, contentAccountMemberId: 'gone' }).contentRecipientIds).toEqual([]);
  });

  it('changes the content account', () => {
    const body = sharingBodyFrom(settings);
    expect(withContentAccount(body, 'a').contentRecipientIds).toEqual([]);
    expect(withContentAccount({ ...body, contentRecipientIds: ['a', 'c'] }, 'c').contentRecipientIds).toEqual(['a']);
    expect(withContentAccount(body, null)).toMatchObject({ contentAccountMemberId: null, contentRecipientIds: [] });
  });
});

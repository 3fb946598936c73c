/** R-PRG-2: the device keeps its token per programme, so a returning patient types nothing. */
import { describe, expect, it } from 'vitest';
import { findDevice, forgetDevice, openingFor, saveDevice, storedDevices, touchDevice } from './devices.ts';
import { memoryStore } from './storage.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 9, minute));

describe('programmes held by this device', () => {
  it('keeps one token per programme code, the most recently used first', () => {
    const store = memoryStore();
    saveDevice(store, { code: 'aaaaaaaa', token: 'token-a', title: 'Knee', firstName: 'Petra' }, at(0));
    saveDevice(store, { code: 'bbbbbbbb', token: 'token-b', title: 'Back', firstName: 'Jon' }, at(1));
    expect(storedDevices(store).map((d) => d.code)).toEqual(['bbbbbbbb', 'aaaaaaaa']);
    touchDevice(store, 'aaaaaaaa', at(2), { title: 'Knee, weeks 3-6', firstName: 'Petra' });
    expect(storedDevices(store).map((d) => d.title)).toEqual(['Knee, weeks 3-6', 'Back']);
    // Opening the same programme again replaces its token.
    saveDevice(store, { code: 'bbbbbbbb', token: 'token-b2', title: 'Back', firstName: 'Jon' }, at(3));
    expect(storedDevices(store)).toHaveLength(2);
    expect(findDevice(store, 'bbbbbbbb')?.token).toBe('token-b2');
    forgetDevice(store, 'bbbbbbbb');
    expect(storedDevices(store).map((d) => d.code)).toEqual(['aaaaaaaa']);
    forgetDevice(store, 'aaaaaaaa');
    expect(store.keys()).toEqual([]);
  });

  it('survives a damaged store', () => {
    const store = memoryStore();
    store.setItem('motus.patient.devices.v1', '{not json');
    expect(storedDevices(store)).toEqual([]);
    store.setItem('motus.patient.devices.v1', JSON.stringify([{ code: 'x' }, null, { code: 'aaaaaaaa', token: 't', title: 'T', firstName: 'F', lastUsedAt: '' }]));
    expect(storedDevices(store).map((d) => d.code)).toEqual(['aaaaaaaa']);
  });
});

describe('what the page opens with', () => {
  const store = memoryStore();
  const a = saveDevice(store, { code: 'aaaaaaaa', token: 'token-a', title: 'Knee', firstName: 'Petra' }, at(0));
  const b = saveDevice(store, { code: 'bbbbbbbb', token: 'token-b', title: 'Back', firstName: 'Jon' }, at(1));

  it('goes straight in to the only programme, or to the link’s programme when held', () => {
    expect(openingFor([a], null)).toEqual({ kind: 'programme', device: a });
    expect(openingFor([b, a], 'aaaaaaaa')).toEqual({ kind: 'programme', device: a });
  });

  it('offers a chooser between several, and the prefilled form for a link to another programme', () => {
    expect(openingFor([b, a], null)).toEqual({ kind: 'chooser', devices: [b, a] });
    expect(openingFor([a], 'cccccccc')).toEqual({ kind: 'form', code: 'cccccccc' });
    expect(openingFor([], null)).toEqual({ kind: 'form', code: '' });
  });
});

/**
 * The programmes this device holds open (R-PRG-2): after the code and year of birth, the device
 * keeps the token the server gave it, so the patient never types them again. A device can hold more
 * than one programme (a couple sharing a tablet, or two programmes of one patient); each is keyed by
 * its programme code, which stays the same for the programme's life.
 */
import { readJson, removeKey, writeJson, type KeyValueStore } from './storage.ts';

const DEVICES_KEY = 'motus.patient.devices.v1';

export interface StoredDevice {
  /** The programme code (8 lowercase letters). */
  code: string;
  /** The device's bearer token for this programme. */
  token: string;
  title: string;
  firstName: string;
  openedAt: string;
  lastUsedAt: string;
}

function isStoredDevice(value: unknown): value is StoredDevice {
  const d = value as StoredDevice;
  return Boolean(d) && typeof d.code === 'string' && typeof d.token === 'string' && typeof d.title === 'string';
}

/** The stored programmes, the most recently used first. */
export function storedDevices(store: KeyValueStore): StoredDevice[] {
  const list = readJson<unknown[]>(store, DEVICES_KEY);
  if (!Array.isArray(list)) return [];
  return list.filter(isStoredDevice).sort((a, b) => (b.lastUsedAt ?? '').localeCompare(a.lastUsedAt ?? ''));
}

export function findDevice(store: KeyValueStore, code: string): StoredDevice | null {
  return storedDevices(store).find((d) => d.code === code) ?? null;
}

/** Keeps (or replaces) the token for a programme. */
export function saveDevice(store: KeyValueStore, device: Omit<StoredDevice, 'openedAt' | 'lastUsedAt'>, now: Date): StoredDevice {
  const at = now.toISOString();
  const previous = findDevice(store, device.code);
  const saved: StoredDevice = { ...device, openedAt: previous && previous.token === device.token ? previous.openedAt : at, lastUsedAt: at };
  writeJson(store, DEVICES_KEY, [saved, ...storedDevices(store).filter((d) => d.code !== device.code)]);
  return saved;
}

/** Notes that the programme was opened now, and its current title and name. */
export function touchDevice(store: KeyValueStore, code: string, now: Date, names?: { title: string; firstName: string }): void {
  const list = storedDevices(store);
  const found = list.find((d) => d.code === code);
  if (!found) return;
  const updated = { ...found, ...names, lastUsedAt: now.toISOString() };
  writeJson(store, DEVICES_KEY, [updated, ...list.filter((d) => d.code !== code)]);
}

export function forgetDevice(store: KeyValueStore, code: string): void {
  const rest = storedDevices(store).filter((d) => d.code !== code);
  if (rest.length === 0) removeKey(store, DEVICES_KEY);
  else writeJson(store, DEVICES_KEY, rest);
}

export type Opening =
  | { kind: 'programme'; device: StoredDevice }
  | { kind: 'form'; code: string }
  | { kind: 'chooser'; devices: StoredDevice[] };

/**
 * What the page opens with: the programme of the link's code when the device holds it; the form,
 * prefilled, for a code it does not hold; otherwise the only programme held, a chooser between
 * several, or the empty form.
 */
export function openingFor(devices: StoredDevice[], linkCode: string | null): Opening {
  if (linkCode) {
    const match = devices.find((d) => d.code === linkCode);
    return match ? { kind: 'programme', device: match } : { kind: 'form', code: linkCode };
  }
  if (devices.length === 1) return { kind: 'programme', device: devices[0]! };
  if (devices.length > 1) return { kind: 'chooser', devices };
  return { kind: 'form', code: '' };
}

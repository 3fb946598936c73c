import { describe, expect, it } from 'vitest';
import { checkTarget, checkTargetUrl, isPrivateAddress, TargetRefused } from './targets.ts';

// R-INT-4: private network targets only where the operator allows them.
describe('webhook targets', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '198.18.0.1', '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '2001:db8::1', 'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:93.184.215.14', '64:ff9b::808:808'])('allows the public address %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  const refusal = (url: string, allowPrivate = false) => {
    try {
      checkTargetUrl(url, allowPrivate);
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(TargetRefused);
      return (err as TargetRefused).code;
    }
  };

  it('refuses internal hosts however they are written, unless allowed', () => {
    for (const url of ['https://127.0.0.1/h', 'https://[::1]:8443/h', 'https://10.1.2.3/', 'https://2130706433/', 'https://0x7f000001/', 'https://[::ffff:127.0.0.1]/', 'https://localhost/', 'https://LOCALHOST./', 'https://printer.local/', 'https://metadata.internal/']) {
      expect(refusal(url), url).toBe('private_target');
      expect(refusal(url, true), url).toBeNull();
    }
  });

  it('wants https without credentials, unless the operator allows internal targets (then http too)', () => {
    expect(refusal('http://pms.example.com/hooks')).toBe('scheme');
    expect(refusal('http://pms.example.com/hooks', true)).toBeNull();
    expect(refusal('ftp://pms.example.com/')).toBe('scheme');
    expect(refusal('https://user:pass@pms.example.com/')).toBe('credentials');
    expect(refusal('pms.example.com/hooks')).toBe('bad_url');
    expect(refusal('https://pms.example.com/hooks')).toBeNull();
  });

  it('refuses a name that resolves to any internal address, and accepts one that does not resolve yet', async () => {
    const resolvingTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    await expect(checkTarget('https://pms.example.com/', false, { lookup: resolvingTo('93.184.215.14', '127.0.0.1') })).rejects.toMatchObject({ code: 'private_target' });
    await expect(checkTarget('https://pms.example.com/', false, { lookup: resolvingTo('fd00::5') })).rejects.toMatchObject({ code: 'private_target' });
    await expect(checkTarget('https://pms.example.com/', false, { lookup: resolvingTo('93.184.215.14') })).resolves.toBeInstanceOf(URL);
    await expect(checkTarget('https://pms.example.com/', false, { lookup: async () => Promise.reject(new Error('ENOTFOUND')) })).resolves.toBeInstanceOf(URL);
    // A resolver that never answers does not hold the request up.
    await expect(checkTarget('https://pms.example.com/', false, { lookup: () => new Promise(() => {}), timeoutMs: 20 })).resolves.toBeInstanceOf(URL);
  });
});

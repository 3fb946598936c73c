import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newMessageId, newSigningSecret, signature, signedHeaders } from './signing.ts';

// R-INT-4: signed as the Standard Webhooks specification says.
describe('webhook signatures', () => {
  it("matches the specification's example", () => {
    expect(signature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies with the published implementation, for each secret in force during a rotation', () => {
    const [before, after] = [newSigningSecret(), newSigningSecret()];
    expect(before).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = newMessageId();
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    const body = JSON.stringify({ type: 'programme.assigned', timestamp: new Date().toISOString(), data: { programmeId: 'p1' } });
    const headers = signedHeaders([after, before], id, new Date(), body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(after).verify(body, headers)).toMatchObject({ data: { programmeId: 'p1' } });
    expect(new Webhook(before).verify(body, headers)).toMatchObject({ type: 'programme.assigned' });
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow(/signature/i);
    expect(() => new Webhook(after).verify(`${body} `, headers)).toThrow(/signature/i);
  });
});

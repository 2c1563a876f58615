import { afterEach, describe, expect, it, vi } from 'vitest';
import { pseudonym, signToken, verifyBearer } from '../../src/api/auth.js';

const SECRET = 'unit-secret-0123456789abcdef0123456789';

describe('bearer tokens', () => {
  it('round-trips role and advisor id', async () => {
    const t = await signToken(SECRET, 'advisor', { advisorId: 'A7' });
    expect(await verifyBearer(SECRET, `Bearer ${t}`)).toEqual({
      role: 'advisor',
      advisorId: 'A7',
      subject: 'A7',
    });
  });
  it.each([
    ['missing header', undefined, 'missing bearer token'],
    ['no Bearer prefix', 'abc', 'missing bearer token'],
    ['garbage', 'Bearer a.b.c', 'bearer token invalid'],
  ])('refuses %s', async (_n, header, msg) => {
    await expect(verifyBearer(SECRET, header)).rejects.toThrow(msg);
  });
  it('refuses an expired token and one signed with another secret', async () => {
    const expired = await signToken(SECRET, 'admin', { ttl: '-1s' });
    await expect(verifyBearer(SECRET, `Bearer ${expired}`)).rejects.toThrow('bearer token expired');
    const other = await signToken(`${SECRET}x`, 'admin');
    await expect(verifyBearer(SECRET, `Bearer ${other}`)).rejects.toThrow('bearer token invalid');
  });
  describe('remembering verified tokens', () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    it('refuses a remembered token once it has expired', async () => {
      const t = await signToken(SECRET, 'compliance', { ttl: '60s' });
      expect((await verifyBearer(SECRET, `Bearer ${t}`)).role).toBe('compliance');
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 30_000);
      expect((await verifyBearer(SECRET, `Bearer ${t}`)).role).toBe('compliance');
      vi.setSystemTime(Date.now() + 31_000);
      await expect(verifyBearer(SECRET, `Bearer ${t}`)).rejects.toThrow('bearer token expired');
      await expect(verifyBearer(SECRET, `Bearer ${t}`)).rejects.toThrow('bearer token expired');
    });
    it('does not accept a token remembered under one secret for another', async () => {
      const t = await signToken(SECRET, 'admin');
      expect((await verifyBearer(SECRET, `Bearer ${t}`)).role).toBe('admin');
      await expect(verifyBearer(`${SECRET}x`, `Bearer ${t}`)).rejects.toThrow('bearer token invalid');
    });
  });
  it('refuses an advisor token without advisor id and a short secret', async () => {
    await expect(signToken(SECRET, 'advisor')).rejects.toThrow('needs --advisor');
    await expect(signToken('short', 'admin')).rejects.toThrow('at least 32');
  });
  it('pseudonyms are stable, keyed and shaped p_ + 16 hex', () => {
    expect(pseudonym(SECRET, 'C1')).toBe(pseudonym(SECRET, 'C1'));
    expect(pseudonym(SECRET, 'C1')).not.toBe(pseudonym(SECRET, 'C2'));
    expect(pseudonym(`${SECRET}x`, 'C1')).not.toBe(pseudonym(SECRET, 'C1'));
    expect(pseudonym(SECRET, 'C1')).toMatch(/^p_[0-9a-f]{16}$/);
  });
});

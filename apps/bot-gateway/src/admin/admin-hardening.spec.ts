import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { CreateMemberDto, CreateUnitDto, ListLeadsQuery } from '@zs/contracts';
import { bearerToken } from './admin-auth.guard';
import { validated, validId } from './validation';

const refused = (fn: () => unknown) => expect(fn).toThrow(BadRequestException);

describe('admin API bounds (regressions: 500s from PostgreSQL)', () => {
  it.each(['99999999999999999999', '9223372036854775808', '1e400', '-1', '100001'])('refuses offset %s', (offset) => {
    refused(() => validated(ListLeadsQuery, { offset }));
  });
  it('refuses a unit id beyond bigint', () => {
    refused(() => validated(ListLeadsQuery, { unitId: '9'.repeat(19) }));
    refused(() => validated(CreateMemberDto, { name: '张伟', unitId: '9'.repeat(30), role: 'official' }));
    expect(() => validId('9'.repeat(19), 'id')).toThrow(BadRequestException);
  });
  it('accepts ordinary paging', () => {
    expect(validated(ListLeadsQuery, { limit: '20', offset: '40' })).toMatchObject({ limit: 20, offset: 40 });
  });
});

describe('member and unit identities', () => {
  it.each(['@all', 'a|b', '@all|x'])('refuses %j as a WeCom userid', (wecomUserId) => {
    refused(() => validated(CreateMemberDto, { name: '张伟', unitId: '1', role: 'official', wecomUserId }));
  });
  it('normalises names and refuses look-alikes', () => {
    expect(validated(CreateUnitDto, { name: ' 赫山区  ', kind: 'county' }).name).toBe('赫山区');
    refused(() => validated(CreateUnitDto, { name: '赫山\u200b区', kind: 'county' }));
    refused(() => validated(CreateMemberDto, { name: '张\u202e伟', unitId: '1', role: 'official' }));
  });
});

describe('bearerToken (AdminAuthGuard)', () => {
  it('accepts exactly `Bearer <token>`', () => {
    expect(bearerToken('Bearer secret-token-0123456789')).toBe('secret-token-0123456789');
    expect(bearerToken(undefined)).toBeUndefined();
  });
  it.each(['bearer secret-token-0123456789', 'BEARER secret-token-0123456789', 'Bearer  secret-token-0123456789', 'Bearer\tsecret-token-0123456789', 'Bearer secret-token-0123456789 ', ''])(
    'refuses %j',
    (h) => {
      expect(bearerToken(h)).toBeNull();
    },
  );
});

import { loadProfile } from '../policy/load-profile';
import { parseIntakeCommand } from './intake-command';
import { companyRegistryKey } from './registry-key';
import { parseStageArgs } from '../ledger/stage-args';

const rules = loadProfile('yiyang').ledger;
const p = (t: string) => parseIntakeCommand(t, rules);

describe('intake commands', () => {
  it.each([
    ['帮助', { kind: 'help' }],
    ['@招商助手 取消', { kind: 'cancel' }],
    ['确认', { kind: 'confirm' }],
    ['确认新企业', { kind: 'confirm-new-company' }],
    ['我的线索', { kind: 'my-leads' }],
    ['查询 深圳市星河智能科技有限公司', { kind: 'query', companyName: '深圳市星河智能科技有限公司' }],
    ['线索 YY-2026-000001', { kind: 'show', code: 'YY-2026-000001' }],
    ['线索 ｙｙ－２０２６－０００００１', { kind: 'show', code: 'YY-2026-000001' }],
    ['线索 企业：某公司', { kind: 'submit', body: '企业：某公司' }],
    ['报线索 企业：某公司 投资额：5亿', { kind: 'submit', body: '企业：某公司 投资额：5亿' }],
    ['更正 YY-2026-000001 投资额：3亿', { kind: 'correct', code: 'YY-2026-000001', body: '投资额：3亿' }],
    ['签约 YY-2026-000001 5亿 2026-12-01', { kind: 'stage', code: 'YY-2026-000001', stage: 'signed', args: '5亿 2026-12-01' }],
    ['开工 yy-2026-1', { kind: 'stage', code: 'YY-2026-000001', stage: 'started', args: '' }],
    ['终止 YY-2026-000001 企业战略调整', { kind: 'stage', code: 'YY-2026-000001', stage: 'terminated', args: '企业战略调整' }],
    ['到位 YY-2026-000001 1.2亿', { kind: 'capital', code: 'YY-2026-000001', args: '1.2亿' }],
    ['流转 YY-2026-000001 赫山区 企业选址', { kind: 'transfer', code: 'YY-2026-000001', args: '赫山区 企业选址' }],
    ['申请流转 YY-2026-000001 企业意向落户本区', { kind: 'request-transfer', code: 'YY-2026-000001', reason: '企业意向落户本区' }],
    ['签约 深圳星河', { kind: 'needs-code', command: '签约' }],
    ['签约仪式什么时候开', { kind: 'text', text: '签约仪式什么时候开' }],
    ['在谈的项目有哪些', { kind: 'text', text: '在谈的项目有哪些' }],
    ['今天天气怎么样', { kind: 'text', text: '今天天气怎么样' }],
  ])('%s', (text, expected) => {
    expect(p(text)).toEqual(expected);
  });

  it('survives hostile input', () => {
    for (const t of ['', '\u0000\u0007', '<script>alert(1)</script>', "'; DROP TABLE leads; --", '😀'.repeat(5000), 'x'.repeat(10000)]) {
      expect(() => p(t)).not.toThrow();
    }
  });
});

describe('registry key', () => {
  it('treats the city prefix with or without 市 as one company', () => {
    expect(companyRegistryKey('深圳星河智能科技有限公司')).toBe(companyRegistryKey('深圳市星河智能科技有限公司'));
    expect(companyRegistryKey('湖南省长沙精密有限公司')).toBe(companyRegistryKey('湖南长沙精密有限公司'));
    expect(companyRegistryKey('深圳市星河智能科技股份有限公司')).toBe(companyRegistryKey('深圳星河智能科技有限公司'));
  });
  it('keeps names that only contain 市 later', () => {
    expect(companyRegistryKey('超市连锁有限公司')).toBe(companyRegistryKey('超市连锁有限公司'));
    expect(companyRegistryKey('城市之光科技有限公司')).not.toBe(companyRegistryKey('城之光科技有限公司'));
  });
});

describe('stage arguments', () => {
  const now = new Date('2026-11-29T02:00:00Z');
  it('reads amount, date and note in any order', () => {
    const a = parseStageArgs('5亿 2026-11-20', now);
    expect(a.amountWan).toBe(50000);
    expect(new Date(a.date!).toISOString().slice(0, 10)).toBe('2026-11-20');
    expect(a.note).toBeNull();
    const b = parseStageArgs('2026年11月1日 签约8000万元 在长沙', now);
    expect(b.amountWan).toBe(8000);
    expect(new Date(b.date!).toISOString().slice(0, 10)).toBe('2026-11-01');
    const c = parseStageArgs('企业战略调整', now);
    expect(c).toMatchObject({ amountWan: null, date: null, note: '企业战略调整' });
    const d = parseStageArgs('3000万美元', now);
    expect(d).toMatchObject({ amountWan: 3000, currency: 'USD' });
    expect(parseStageArgs('2026/11/02', now).date).not.toBeNull();
    // Dates are read in the profile's timezone: the same words, a different instant in Urumqi (UTC+6).
    const sh = parseStageArgs('2026-11-20', now, 'Asia/Shanghai').date!;
    const ur = parseStageArgs('2026-11-20', now, 'Asia/Urumqi').date!;
    expect(ur - sh).toBe(2 * 3600 * 1000);
  });
});

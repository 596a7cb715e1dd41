import {
  formatDate,
  formatWan,
  receiptLine,
  replyClaimed,
  replyLeadDetail,
  replyMyLeads,
  replyOwnedByOtherUnit,
  replyReadBack,
} from './intake-replies';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const huge = '深'.repeat(5000) + '<script>alert(1)</script>' + '\u0000'.repeat(10);

describe('intake replies', () => {
  it('formats dates and amounts as officials read them', () => {
    expect(formatDate(Date.parse('2026-11-28T20:00:00Z'), 'Asia/Shanghai')).toBe('2026年11月29日');
    expect(formatWan(50000)).toBe('5亿元');
    expect(formatWan(8000)).toBe('8000万元');
    expect(formatWan(12000)).toBe('1.2亿元');
    expect(formatWan(3000, 'USD')).toBe('3000万美元');
    expect(formatWan(null)).toBe('未填');
  });

  it('makes every answer distinct by its receipt, and the same message the same receipt', () => {
    const at = Date.parse('2026-11-29T02:03:04Z');
    expect(receiptLine('41', at, 'Asia/Shanghai')).toBe('（回执 41 · 10:03:04）');
    expect(receiptLine('41', at, 'Asia/Shanghai')).toBe(receiptLine('41', at, 'Asia/Shanghai'));
    expect(receiptLine('42', at, 'Asia/Shanghai')).not.toBe(receiptLine('41', at, 'Asia/Shanghai'));
  });

  it('keeps every reply within one WeCom text message, whatever users typed', () => {
    const replies = [
      replyClaimed({ code: 'YY-2026-000001', companyName: huge, ownerUnitName: huge, registeredAt: new Date(), timeZone: 'Asia/Shanghai', tierLabel: huge, amountDisplay: huge, missing: ['行业'], warnings: [huge, huge], problems: [huge], claimCompletionDays: 7 }),
      replyReadBack({ view: { companyName: huge, industry: huge, amountDisplay: huge, contact: huge, content: huge, creditCode: huge }, warnings: [huge], problems: [huge] }),
      replyMyLeads({ unitName: huge, total: 500, timeZone: 'Asia/Shanghai', items: Array.from({ length: 50 }, () => ({ code: huge, companyName: huge, stageLabel: huge, updatedAt: new Date() })) }),
      replyLeadDetail({ code: huge, companyName: huge, industry: huge, amountDisplay: huge, tierLabel: huge, stageLabel: huge, ownerUnitName: huge, firstContactUnitName: 'x', contact: huge, content: huge, registeredAt: new Date(), signedAmount: huge, capitalTotal: huge, history: [] }, 'Asia/Shanghai'),
    ];
    for (const r of replies) expect(bytes(r)).toBeLessThanOrEqual(2048);
  });

  it('never names the owner unit contact when telling another unit', () => {
    const r = replyOwnedByOtherUnit({ companyName: '深圳市星河智能科技有限公司', ownerUnitName: '赫山区', registeredAt: new Date(), timeZone: 'Asia/Shanghai', office: '市招商局' });
    expect(r).toContain('赫山区');
    expect(r).toContain('市招商局');
  });
});

// Cases added to kill mutants that survived `npm run mutation -- libs/domain/src/lead/report-fields.ts`
// (see docs/testing.md). Each asserts behaviour of readLeadReport, which runs these field readers.
import { MAX_REPORT_COMPANY_CHARS, MAX_REPORT_CONTENT_CHARS, readLeadReport } from './lead-report';

const RATE = { usdToCnyRate: 7.1 };
const read = (text: string) => readLeadReport(text, RATE);

describe('report field readers (mutants)', () => {
  it('accepts a labelled company name of exactly the longest length', () => {
    const name = `${'星'.repeat(MAX_REPORT_COMPANY_CHARS - 4)}有限公司`;
    expect(read(`企业：${name}`).companyName).toBe(name);
  });

  it('keeps content of exactly the longest length without a warning', () => {
    const r = read(`内容：${'拟'.repeat(MAX_REPORT_CONTENT_CHARS)}`);
    expect(r.content).toBe('拟'.repeat(MAX_REPORT_CONTENT_CHARS));
    expect(r.warnings).toEqual([]);
  });

  it('an absurd amount in a sentence is no amount (null) and a problem', () => {
    const r = read('湖南星河新材料有限公司投资9999999亿');
    expect(r.amount).toBeNull();
    expect(r.problems).not.toEqual([]);
  });

  it('a labelled content is not replaced by a sentence', () => {
    const r = read('湖南星河新材料有限公司投资3亿建设选矿厂\n内容：建设铜箔项目');
    expect(r.content).toBe('建设铜箔项目');
    expect(r.inferredFields).not.toContain('content');
  });

  it('content read from a sentence is listed as inferred', () => {
    expect(read('湖南星河新材料有限公司投资3亿建设铜箔项目').inferredFields).toContain('content');
  });

  it('a labelled phone is not replaced by a number in a sentence', () => {
    expect(read('联系人：李总 13800002222\n王总 13900003333').contactPhone).toBe('13800002222');
  });

  it('a labelled name is kept when the phone comes from a sentence', () => {
    const r = read('联系人：李总\n王总 13900003333');
    expect(r.contactName).toBe('李总');
    expect(r.contactPhone).toBe('13900003333');
  });

  it.each<[string, string | null, string | null]>([
    ['联系人：John（）Smith', 'John Smith', null],
    ['联系人：王为民 13800002222', '王为民', '13800002222'],
    ['联系人：为民 13800002222', '为民', '13800002222'],
    ['联系人：李总 手机13800002222', '李总', '13800002222'],
    ['联系人：李总 12 345', '李总', '12 345'],
    ['联系人：李总 123', '李总', '123'],
    ['联系人：李总 1-2', '李总 1-2', null],
  ])('labelled contact %j', (text, name, phone) => {
    const r = read(text);
    expect([r.contactName, r.contactPhone]).toEqual([name, phone]);
  });
});

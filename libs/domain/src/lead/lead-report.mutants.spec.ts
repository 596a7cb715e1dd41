// Cases added to kill mutants that survived `npm run mutation -- libs/domain/src/lead/lead-report.ts`
// (see docs/testing.md). Each asserts behaviour of the lead report reader, not of its internals.
import { LEAD_REPORT_FIELD_NAMES, MAX_REPORT_CONTENT_CHARS, missingReportFields, readCompletionReply, readLeadReport } from './lead-report';

const RATE = { usdToCnyRate: 7.1 };

describe('lead report (mutants)', () => {
  it('names every field intake can ask for', () => {
    expect(LEAD_REPORT_FIELD_NAMES).toEqual({
      company: '企业名称',
      industry: '行业',
      amount: '投资额',
      contact: '联系人及电话',
      content: '项目内容',
    });
  });

  it('a complete report misses nothing', () => {
    const r = readLeadReport(
      '企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地',
      RATE,
    );
    expect(missingReportFields(r)).toEqual([]);
  });

  describe('readCompletionReply', () => {
    it('a labelled reply to a single asked field gives the value, not the label', () => {
      const r = readCompletionReply('行业：新能源汽车', ['industry'], RATE);
      expect(r.industry).toBe('新能源汽车');
    });

    it('a bare reply is not the whole field when more than one field was asked', () => {
      const r = readCompletionReply('新能源汽车零部件', ['industry', 'amount'], RATE);
      expect(r.industry).toBeNull();
    });

    it('a bare reply is not the whole field when the asked field is not free text', () => {
      const r = readCompletionReply('新能源汽车零部件', ['amount'], RATE);
      expect(r.industry).toBeNull();
      expect(r.labelled).toBe(false);
    });

    it('the whole reply as a field leaves nothing to confirm', () => {
      const r = readCompletionReply('新能源汽车零部件', ['content'], RATE);
      expect(r.content).toBe('新能源汽车零部件');
      expect(r.inferredFields).toEqual([]);
    });

    it('a bare reply with a problem is not taken as the field', () => {
      const r = readCompletionReply('投资9999999亿', ['content'], RATE);
      expect(r.problems).not.toEqual([]);
      expect(r.content).not.toBe('投资9999999亿');
    });

    it('caps a bare content reply', () => {
      const r = readCompletionReply('拟'.repeat(MAX_REPORT_CONTENT_CHARS + 5), ['content'], RATE);
      expect(r.content).toBe('拟'.repeat(MAX_REPORT_CONTENT_CHARS));
    });

    it('a reply that gives nothing stays unlabelled', () => {
      const r = readCompletionReply('你好', ['amount'], RATE);
      expect(r.inferredFields).toEqual([]);
      expect(r.labelled).toBe(false);
    });

    it('unlabelled fields count as labelled only when every one of them was asked', () => {
      const r = readCompletionReply('3亿 李总 13800002222', ['amount'], RATE);
      expect(r.labelled).toBe(false);
      expect(r.inferredFields).toEqual(expect.arrayContaining(['amount', 'contact']));
    });
  });
});

import { parseChatCommand } from './chat-command';
import { parseLeadFields } from './lead-fields';
import {
  formatChinaDate,
  LEAD_EXAMPLE,
  replyAlreadyRegistered,
  replyHelp,
  replyInvalidLead,
  replyLeadRegistered,
  replyUnknownCommand,
  replyUnknownSender,
  replyUnsupportedMessageType,
} from './replies';
import { utf8Length, WECOM_TEXT_MAX_BYTES } from './text';

const PHONE_RE = /1[3-9]\d{9}|0\d{2,3}-?\d{7,8}/;

function expectFits(text: string): void {
  expect(utf8Length(text)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
  expect(Buffer.byteLength(text, 'utf8')).toBe(utf8Length(text));
  expect(text).not.toMatch(/[*#`<>]/); // plain text, no markdown or HTML
}

describe('LEAD_EXAMPLE', () => {
  it('is the required example with 报线索 in front', () => {
    expect(LEAD_EXAMPLE).toBe(
      '报线索 企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地',
    );
  });

  it('round-trips through the parsers', () => {
    const cmd = parseChatCommand(LEAD_EXAMPLE);
    expect(cmd.kind).toBe('submit-lead');
    if (cmd.kind === 'submit-lead') expect(parseLeadFields(cmd.body).ok).toBe(true);
  });
});

describe('formatChinaDate', () => {
  it.each([
    ['2026-11-22T00:00:00+08:00', '2026年11月22日'],
    ['2026-11-21T16:00:00Z', '2026年11月22日'], // midnight in Shanghai
    ['2026-11-21T15:59:59Z', '2026年11月21日'],
    ['2026-12-31T16:30:00Z', '2027年1月1日'],
    ['2028-02-28T20:00:00Z', '2028年2月29日'],
    ['2026-01-05T03:00:00Z', '2026年1月5日'],
  ])('%s → %s', (iso, text) => {
    expect(formatChinaDate(new Date(iso))).toBe(text);
  });

  it('agrees with Intl for Asia/Shanghai', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' });
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 7 * 3600 * 1000 + 13 * 60 * 1000) {
      const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      expect(formatChinaDate(new Date(t))).toBe(`${parts.year}年${Number(parts.month)}月${Number(parts.day)}日`);
    }
  });
});

describe('replyLeadRegistered', () => {
  const text = replyLeadRegistered({
    code: 'ZZ-2026-0001',
    companyName: '深圳市星河智能科技有限公司',
    tierLabel: '重大',
    ownerUnitName: '雨湖区商务局',
    amountDisplay: '5亿元',
  });

  it('says 登记成功 with number, company, amount, tier and owner unit', () => {
    expect(text).toContain('登记成功');
    expect(text).toContain('ZZ-2026-0001');
    expect(text).toContain('深圳市星河智能科技有限公司');
    expect(text).toContain('5亿元');
    expect(text).toContain('重大');
    expect(text).toContain('首谈首报');
    expect(text).toContain('雨湖区商务局');
    expectFits(text);
  });

  it('matches the expected wording', () => {
    expect(text).toBe(
      [
        '线索登记成功。',
        '线索编号：ZZ-2026-0001',
        '企业名称：深圳市星河智能科技有限公司',
        '计划投资：5亿元',
        '项目等级：重大',
        '首谈首报单位：雨湖区商务局',
        '该企业已按首谈首报登记在雨湖区商务局名下，请持续跟进对接，及时报送项目进展。',
      ].join('\n'),
    );
  });

  it('stays within the byte limit with absurd inputs', () => {
    const long = '星'.repeat(5000);
    expectFits(replyLeadRegistered({ code: long, companyName: long, tierLabel: long, ownerUnitName: long, amountDisplay: long }));
  });
});

describe('replyAlreadyRegistered', () => {
  const text = replyAlreadyRegistered({
    companyName: '深圳市星河智能科技有限公司',
    ownerUnitName: '高新区招商合作局',
    registeredAt: new Date('2026-11-21T16:30:00Z'),
  });

  it('names the owner unit and the Shanghai date, and points to 市商务局', () => {
    expect(text).toContain('已有首谈首报登记');
    expect(text).toContain('深圳市星河智能科技有限公司');
    expect(text).toContain('高新区招商合作局');
    expect(text).toContain('2026年11月22日');
    expect(text).toContain('市商务局');
    expect(text).toContain('如认为登记有误');
    expectFits(text);
  });

  it('contains no contact person or phone', () => {
    expect(text).not.toMatch(PHONE_RE);
    expect(text).not.toMatch(/联系人|电话|手机|经理/);
  });

  it('cannot leak contact data even when given extra properties', () => {
    const withExtras = {
      companyName: '星河',
      ownerUnitName: '雨湖区',
      registeredAt: new Date('2026-01-01T00:00:00Z'),
      contactName: '王经理',
      contactPhone: '13912345678',
    };
    const t = replyAlreadyRegistered(withExtras);
    expect(t).not.toContain('王经理');
    expect(t).not.toContain('13912345678');
  });
});

describe('replyInvalidLead', () => {
  it('lists missing fields and problems, then the example', () => {
    const text = replyInvalidLead({
      missing: ['行业', '内容'],
      problems: ['投资额“很多”无法识别，请写成如“5亿元”或“3000万元”'],
    });
    expect(text).toBe(
      [
        '线索未能登记，请补充或更正后重新发送。',
        '缺少必填项：行业、内容',
        '需更正：',
        '1. 投资额“很多”无法识别，请写成如“5亿元”或“3000万元”',
        '填写示例（可复制后修改）：',
        LEAD_EXAMPLE,
      ].join('\n'),
    );
    expectFits(text);
  });

  it('omits empty sections', () => {
    const text = replyInvalidLead({ missing: ['企业'], problems: [] });
    expect(text).not.toContain('需更正');
    const text2 = replyInvalidLead({ missing: [], problems: ['报送内容超过2000字，请精简后重新发送（项目内容可简要概括）'] });
    expect(text2).not.toContain('缺少');
  });

  it('keeps the example intact and within the limit with many long problems', () => {
    const problems = Array.from({ length: 50 }, (_, i) => `问题${i}`.padEnd(500, '长'));
    const text = replyInvalidLead({ missing: ['企业', '行业', '投资额', '内容'], problems });
    expectFits(text);
    expect(text.endsWith(`填写示例（可复制后修改）：\n${LEAD_EXAMPLE}`)).toBe(true);
    expect(text).toContain('1. 问题0');
    expect(text).toMatch(/另有\d+处问题，请一并核对。/);
  });

  it('shows at most 8 problems', () => {
    const problems = Array.from({ length: 12 }, (_, i) => `问题${i + 1}`);
    const text = replyInvalidLead({ missing: [], problems });
    expect(text).toContain('8. 问题8');
    expect(text).not.toContain('9. 问题9');
    expect(text).toContain('另有4处问题，请一并核对。');
    expectFits(text);
  });

  it('works on the parser output', () => {
    const r = parseLeadFields('企业：有限公司 投资额：很多');
    if (r.ok) throw new Error('expected failure');
    const text = replyInvalidLead(r);
    expect(text).toContain('缺少必填项：行业、内容');
    expect(text).toContain('1. 企业名称“有限公司”不完整');
    expect(text).toContain('2. 投资额“很多”无法识别');
  });
});

describe('replyHelp', () => {
  const text = replyHelp();
  it('explains the command, fields, amounts and first contact, with the example', () => {
    expect(text).toContain('报线索');
    expect(text).toContain('必填：企业、行业、投资额、内容');
    expect(text).toContain('3500万美元');
    expect(text).toContain('首谈首报');
    expect(text).toContain(LEAD_EXAMPLE);
    expect(text).toContain('帮助');
    expectFits(text);
  });
});

describe('replyUnknownSender', () => {
  it('says the sender is not registered and the message is kept for the administrator', () => {
    const text = replyUnknownSender();
    expect(text).toContain('尚未');
    expect(text).toContain('登记');
    expect(text).toContain('已留存');
    expect(text).toContain('管理员');
    expect(text).toContain('联系');
    expectFits(text);
  });
});

describe('replyUnknownCommand', () => {
  it('echoes a short text, points to 帮助 and shows the example', () => {
    const text = replyUnknownCommand('你好');
    expect(text).toBe(['未能识别“你好”。报送线索请以“报线索”开头，例如：', LEAD_EXAMPLE, '发送“帮助”查看使用说明。'].join('\n'));
    expectFits(text);
  });

  it('clips and flattens a long or multi-line text', () => {
    const text = replyUnknownCommand(`第一行\n第二行${'很长'.repeat(3000)}`);
    expect(text.split('\n')[0]).toBe('未能识别“第一行 第二行很长很长很长很长很长很长…”。报送线索请以“报线索”开头，例如：');
    expectFits(text);
  });

  it('handles an empty text', () => {
    expect(replyUnknownCommand('')).toMatch(/^未能识别您的消息。/);
    expect(replyUnknownCommand(undefined as unknown as string)).toMatch(/^未能识别您的消息。/);
  });
});

describe('replyUnsupportedMessageType', () => {
  it('says only text is handled and points to 报线索 and 帮助', () => {
    const text = replyUnsupportedMessageType();
    expect(text).toContain('文字');
    expect(text).toContain('报线索');
    expect(text).toContain('帮助');
    expectFits(text);
  });
});

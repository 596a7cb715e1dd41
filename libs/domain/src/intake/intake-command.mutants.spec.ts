import { loadProfile } from '../policy/load-profile';
import { normalizeLeadCode, parseIntakeCommand } from './intake-command';

/**
 * Cases that kill mutations intake-command.spec.ts lets survive (found with `npm run mutation`):
 * the shape of a lead number, the separators after a command word and after a number, and the
 * words that must be the whole message.
 */
const rules = loadProfile('yiyang').ledger;
const p = (t: string) => parseIntakeCommand(t, rules);
const CODE = 'YY-2026-000001';

describe('lead numbers', () => {
  it.each([
    ['YY-2026-000001', CODE],
    ['yy-2026-1', CODE],
    ['YY—2026—000001', CODE], // em dashes, as an IME types them
    ['YY_2026_000001', CODE],
    ['  YY-2026-000001  ', CODE],
    ['ＹＹ－２０２６－０００００１', CODE],
    ['ABCD-2026-12', 'ABCD-2026-000012'],
    ['Yy-2026-123456', 'YY-2026-123456'],
  ])('%j → %j', (raw, code) => {
    expect(normalizeLeadCode(raw)).toBe(code);
  });

  it.each([
    'Y-2026-000001', // one letter
    'ABCDE-2026-000001', // five letters
    '12-2026-000001', // digits for the city
    'YY-226-000001', // three-digit year
    'YY-20266-000001', // five-digit year
    'YY-2026-1234567', // seven digits
    'YY-2026-', // no number
    'YY2026-000001', // no separator
    'YY-2026000001',
    'YY-2026-000001x',
    '-YY-2026-000001',
    'YY.2026.000001',
  ])('%j is not a lead number', (raw) => {
    expect(normalizeLeadCode(raw)).toBeNull();
  });
});

describe('whole-message words', () => {
  it.each([
    ['算了', 'cancel'],
    ['不报了', 'cancel'],
    ['撤销', 'cancel'],
    ['取消。', 'cancel'],
    ['取消!！', 'cancel'],
    ['确定', 'confirm'],
    ['对', 'confirm'],
    ['是的', 'confirm'],
    ['没错', 'confirm'],
    ['无误', 'confirm'],
    ['正确', 'confirm'],
    ['确认.', 'confirm'],
    ['确认为新企业', 'confirm-new-company'],
    ['确认新企业！', 'confirm-new-company'],
    ['本单位线索', 'my-leads'],
    ['我们的线索', 'my-leads'],
    ['我的线索？', 'my-leads'],
    ['我的线索?', 'my-leads'],
  ])('%j → %s', (text, kind) => {
    expect(p(text)).toEqual({ kind });
  });

  it.each(['不对', '不正确', '不确认新企业', '删除我的线索', '取消吧', '确认一下', '对了还有件事', '确认新企业吧', '我的线索有几条', '请取消', '确认新的企业'])(
    '%j is not the word alone, so it is text',
    (text) => {
      expect(p(text)).toEqual({ kind: 'text', text });
    },
  );

  it('a lead number alone is no command', () => {
    expect(p('YY-2026-000001')).toEqual({ kind: 'text', text: 'YY-2026-000001' });
    expect(p('YY-2026-000001 详情')).toEqual({ kind: 'text', text: 'YY-2026-000001 详情' });
  });

  it('reads the word after an @mention and returns the cleaned text otherwise', () => {
    expect(p('@招商助手 确认')).toEqual({ kind: 'confirm' });
    expect(p('@招商助手\u2005今天天气')).toEqual({ kind: 'text', text: '今天天气' });
    expect(p('/help')).toEqual({ kind: 'help' });
  });
});

describe('query', () => {
  it.each([
    ['查询 星河', '星河'],
    ['查询：星河', '星河'],
    ['查询:星河', '星河'],
    ['查询，星河', '星河'],
    ['查询 ,： 星河 ', '星河'],
    ['查询ABC科技', 'ABC科技'],
    ['查询abc科技', 'abc科技'],
    ['查询3M中国', '3M中国'],
    ['查询Ａ公司', 'Ａ公司'], // full-width letters and digits are not changed before the command is read
    ['查询ａｂｃ', 'ａｂｃ'],
    ['查询０１科技', '０１科技'],
  ])('%j asks about %j', (text, companyName) => {
    expect(p(text)).toEqual({ kind: 'query', companyName });
  });

  it('needs a name', () => {
    expect(p('查询')).toEqual({ kind: 'needs-code', command: '查询' });
    expect(p('查询：')).toEqual({ kind: 'needs-code', command: '查询' });
  });

  it('is not a query when the word runs on into Chinese', () => {
    expect(p('查询星河')).toEqual({ kind: 'text', text: '查询星河' });
    expect(p('查询星河 科技')).toEqual({ kind: 'text', text: '查询星河 科技' }); // a space later does not count
    expect(p('查询星河abc')).toEqual({ kind: 'text', text: '查询星河abc' }); // nor a letter later
  });
});

describe('show', () => {
  it.each(['查看 YY-2026-000001', '查看线索 YY-2026-000001', '查看线索：yy-2026-1', '线索 YY-2026-000001，', '查看YY-2026-000001', '线索：YY-2026-000001；'])(
    '%j shows the lead',
    (text) => {
      expect(p(text)).toEqual({ kind: 'show', code: CODE });
    },
  );

  it.each([
    ['查看', '查看'],
    ['查看线索', '查看线索'],
    ['查看 星河', '查看'],
    ['查看 YY-2026-000001 详情', '查看'],
    ['查看线索 星河', '查看线索'],
  ])('%j needs a number alone', (text, command) => {
    expect(p(text)).toEqual({ kind: 'needs-code', command });
  });

  it('"线索" followed by more than a number is a report', () => {
    expect(p('线索 YY-2026-000001 详情')).toEqual({ kind: 'submit', body: 'YY-2026-000001 详情' });
    expect(p('线索')).toEqual({ kind: 'submit', body: '' });
  });

  it('"查看" running on into Chinese is not a command', () => {
    expect(p('查看一下')).toEqual({ kind: 'text', text: '查看一下' });
  });
});

describe('commands with a lead number', () => {
  it.each([
    ['更正 YY-2026-000001，投资额：3亿', { kind: 'correct', code: CODE, body: '投资额：3亿' }],
    ['更正 YY-2026-000001,投资额：3亿', { kind: 'correct', code: CODE, body: '投资额：3亿' }],
    ['更正 YY-2026-000001:投资额3亿', { kind: 'correct', code: CODE, body: '投资额3亿' }],
    ['更正：YY-2026-000001；投资额3亿', { kind: 'correct', code: CODE, body: '投资额3亿' }],
    ['更正 YY-2026-000001 ；： 投资额 3亿 ', { kind: 'correct', code: CODE, body: '投资额 3亿' }],
    ['签约YY-2026-000001 5亿', { kind: 'stage', code: CODE, stage: 'signed', args: '5亿' }],
    ['洽谈 YY-2026-1', { kind: 'stage', code: CODE, stage: 'negotiating', args: '' }],
    ['在谈 YY-2026-1 初步意向', { kind: 'stage', code: CODE, stage: 'negotiating', args: '初步意向' }],
    ['投产 YY-2026-1', { kind: 'stage', code: CODE, stage: 'producing', args: '' }],
    ['到位 YY-2026-1', { kind: 'capital', code: CODE, args: '' }],
    ['流转 YY-2026-1', { kind: 'transfer', code: CODE, args: '' }],
    ['申请流转 YY-2026-1', { kind: 'request-transfer', code: CODE, reason: '' }],
  ])('%j', (text, expected) => {
    expect(p(text)).toEqual(expected);
  });

  it.each([
    ['更正', '更正'],
    ['更正 ；YY-2026-000001 投资额3亿', '更正'], // the number must come first, after spaces, colons or commas only
    ['查看 ；YY-2026-000001', '查看'],
    ['流转 赫山区', '流转'],
    ['申请流转', '申请流转'],
    ['申请流转 企业意向落户本区', '申请流转'],
    ['到位 1.2亿', '到位'],
    ['投产：', '投产'],
  ])('%j needs a lead number', (text, command) => {
    expect(p(text)).toEqual({ kind: 'needs-code', command });
  });
});

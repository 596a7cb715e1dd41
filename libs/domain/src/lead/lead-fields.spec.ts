import { parseChatCommand } from './chat-command';
import { extractLeadFields, LeadDraft, MAX_LEAD_BODY_CHARS, parseLeadFields, splitContact } from './lead-fields';
import { LEAD_EXAMPLE } from './replies';

const EXAMPLE_BODY =
  '企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地';

const EXPECTED: LeadDraft = {
  companyName: '深圳市星河智能科技有限公司',
  normalizedName: '深圳星河智能科技',
  industry: '电子信息',
  amount: { amountWan: 50000, currency: 'CNY', display: '5亿元' },
  contactName: '王经理',
  contactPhone: '13912345678',
  content: '拟建智能终端生产基地',
  intendedArea: null,
  creditCode: null,
  originRegion: null,
};

function lead(body: string): LeadDraft {
  const r = parseLeadFields(body);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.lead;
}

function failure(body: string): { missing: string[]; problems: string[] } {
  const r = parseLeadFields(body);
  if (r.ok) throw new Error(`expected failure, got ${JSON.stringify(r)}`);
  return r;
}

describe('parseLeadFields', () => {
  it('parses the required example', () => {
    expect(parseLeadFields(EXAMPLE_BODY)).toEqual({ ok: true, lead: EXPECTED });
  });

  it('parses the shared LEAD_EXAMPLE through parseChatCommand', () => {
    const cmd = parseChatCommand(LEAD_EXAMPLE);
    if (cmd.kind !== 'submit-lead') throw new Error('not a submission');
    expect(parseLeadFields(cmd.body)).toEqual({ ok: true, lead: EXPECTED });
  });

  describe('layouts and separators', () => {
    it.each([
      ['one line, spaces', EXAMPLE_BODY],
      ['newlines', EXAMPLE_BODY.replace(/ (?=\S+：)/g, '\n')],
      ['CRLF newlines', EXAMPLE_BODY.replace(/ (?=\S+：)/g, '\r\n')],
      ['half-width colons', EXAMPLE_BODY.replace(/：/g, ':')],
      ['space around colon', EXAMPLE_BODY.replace(/：/g, ' ： ')],
      ['full-width semicolons', EXAMPLE_BODY.replace(/ (?=\S+：)/g, '；')],
      ['half-width semicolons', EXAMPLE_BODY.replace(/ (?=\S+：)/g, ';')],
      ['full-width commas', EXAMPLE_BODY.replace(/ (?=\S+：)/g, '，')],
      ['comma and space', EXAMPLE_BODY.replace(/ (?=\S+：)/g, '， ')],
      ['full-width spaces', EXAMPLE_BODY.replace(/ (?=\S+：)/g, '\u3000')],
      ['trailing full stop', `${EXAMPLE_BODY}。`],
      ['blank lines', `\n\n${EXAMPLE_BODY.replace(/ (?=\S+：)/g, '\n\n')}\n\n`],
      ['leading free text is ignored', `今天新接触一家企业 ${EXAMPLE_BODY}`],
      [
        'fields in another order',
        '内容：拟建智能终端生产基地 联系人：王经理 13912345678 投资额：5亿元 行业：电子信息 企业：深圳市星河智能科技有限公司',
      ],
    ])('%s', (_label, body) => {
      expect(lead(body)).toEqual(EXPECTED);
    });
  });

  it('does not let a next-line 对接人 bleed into the amount', () => {
    const r = parseLeadFields('企业：深圳市星河智能科技有限公司\n行业：电子信息\n投资额：5亿元\n对接人：王经理 13912345678\n内容：拟建智能终端生产基地');
    expect(r).toEqual({ ok: true, lead: EXPECTED });
  });

  describe('aliases', () => {
    it.each([
      ['企业名称', 'company'],
      ['公司', 'company'],
      ['公司名称', 'company'],
      ['产业', 'industry'],
      ['产业链', 'industry'],
      ['投资', 'amount'],
      ['计划投资', 'amount'],
      ['拟投资', 'amount'],
      ['联系方式', 'contact'],
      ['联系', 'contact'],
      ['项目内容', 'content'],
      ['项目', 'content'],
      ['简介', 'content'],
    ])('%s', (alias, field) => {
      const keys: Record<string, string> = { company: '企业', industry: '行业', amount: '投资额', contact: '联系人', content: '内容' };
      const body = EXAMPLE_BODY.replace(`${keys[field]}：`, `${alias}：`);
      expect(lead(body)).toEqual(EXPECTED);
    });

    it.each([
      ['意向', 'intendedArea', '雨湖区'],
      ['意向区县', 'intendedArea', '雨湖区'],
      ['落户', 'intendedArea', '高新区'],
      ['拟落户', 'intendedArea', '经开区'],
      ['来源地', 'originRegion', '广东深圳'],
      ['所在地', 'originRegion', '广东深圳'],
      ['来源', 'originRegion', '粤港澳大湾区'],
    ])('%s → %s', (alias, field, value) => {
      const result = lead(`${EXAMPLE_BODY} ${alias}：${value}`);
      expect(result).toEqual({ ...EXPECTED, [field]: value });
    });

    it('reads every optional field together', () => {
      const body = [
        '企业名称：深圳市星河智能科技（中国）有限公司',
        '产业链：新一代电子信息',
        '计划投资：3500万美元',
        '联系方式：王经理 139-1234-5678',
        '项目内容：拟建智能终端生产基地，一期用地200亩',
        '意向区县：雨湖区',
        '统一社会信用代码：91350100m000100y43',
        '来源地：广东省深圳市',
      ].join('\n');
      expect(lead(body)).toEqual({
        companyName: '深圳市星河智能科技（中国）有限公司',
        normalizedName: '深圳星河智能科技',
        industry: '新一代电子信息',
        amount: { amountWan: 3500, currency: 'USD', display: '3500万美元' },
        contactName: '王经理',
        contactPhone: '13912345678',
        content: '拟建智能终端生产基地，一期用地200亩',
        intendedArea: '雨湖区',
        creditCode: '91350100M000100Y43',
        originRegion: '广东省深圳市',
      });
    });

    it('prefers the longest alias (项目内容 over 内容, 统一社会信用代码 over 信用代码)', () => {
      const { fields } = extractLeadFields('项目内容：甲 统一社会信用代码：91350100M000100Y43 计划投资额：5亿');
      expect(fields).toEqual({ content: '甲', creditCode: '91350100M000100Y43', amount: '5亿' });
    });
  });

  describe('values', () => {
    it('lets values contain spaces until the next key', () => {
      const r = lead(`${EXAMPLE_BODY.replace('内容：拟建智能终端生产基地', '内容：拟建 智能终端 生产基地 and R&D center')}`);
      expect(r.content).toBe('拟建 智能终端 生产基地 and R&D center');
    });

    it('does not read a key inside a value unless a separator precedes it', () => {
      const r = lead(EXAMPLE_BODY.replace('内容：拟建智能终端生产基地', '内容：拟建项目：智能终端生产基地'));
      expect(r.content).toBe('拟建项目：智能终端生产基地');
    });

    it('keeps an unknown field inside the preceding value', () => {
      const r = lead(`${EXAMPLE_BODY} 备注：请尽快对接`);
      expect(r.content).toBe('拟建智能终端生产基地 备注：请尽快对接');
    });

    it('tidies the company name: spaces between Chinese characters go, the rest collapse', () => {
      expect(lead(EXAMPLE_BODY.replace('深圳市星河智能科技有限公司', '深圳市星河智能科技 有限公司')).companyName).toBe(
        '深圳市星河智能科技有限公司',
      );
      const en = lead(EXAMPLE_BODY.replace('深圳市星河智能科技有限公司', 'Acme   Robotics  Co., Ltd.'));
      expect(en.companyName).toBe('Acme Robotics Co., Ltd.');
      expect(en.normalizedName).toBe('acmerobotics');
    });

    it('accepts emoji in free text', () => {
      const r = lead(EXAMPLE_BODY.replace('拟建智能终端生产基地', '拟建智能终端生产基地🏭👍'));
      expect(r.content).toBe('拟建智能终端生产基地🏭👍');
    });

    it('strips zero-width characters', () => {
      const r = lead(EXAMPLE_BODY.replace('企业：', '\uFEFF企\u200B业：\u200B'));
      expect(r.companyName).toBe('深圳市星河智能科技有限公司');
    });
  });

  describe('duplicated keys: the last non-empty value wins', () => {
    it('takes the later value', () => {
      const r = lead(`${EXAMPLE_BODY} 投资额：6亿元`);
      expect(r.amount.display).toBe('6亿元');
    });

    it('takes the later value through an alias', () => {
      const r = lead(`${EXAMPLE_BODY} 公司名称：湖南星河新材料有限公司`);
      expect(r.companyName).toBe('湖南星河新材料有限公司');
    });

    it('an empty repetition does not erase an earlier value', () => {
      const r = lead(`${EXAMPLE_BODY} 企业：`);
      expect(r.companyName).toBe('深圳市星河智能科技有限公司');
    });

    it('a later invalid value replaces an earlier valid one and is reported', () => {
      expect(failure(`${EXAMPLE_BODY} 投资额：很多`).problems).toEqual([
        '投资额“很多”无法识别，请写成如“5亿元”或“3000万元”',
      ]);
    });
  });

  describe('missing fields', () => {
    it.each<[string, string, string[]]>([
      ['empty body', '', ['企业', '行业', '投资额', '内容']],
      ['whitespace only', ' \n\t ', ['企业', '行业', '投资额', '内容']],
      ['no company', EXAMPLE_BODY.replace('企业：深圳市星河智能科技有限公司 ', ''), ['企业']],
      ['no industry', EXAMPLE_BODY.replace('行业：电子信息 ', ''), ['行业']],
      ['no amount', EXAMPLE_BODY.replace('投资额：5亿元 ', ''), ['投资额']],
      ['no content', EXAMPLE_BODY.replace(' 内容：拟建智能终端生产基地', ''), ['内容']],
      ['empty values', '企业： 行业：  投资额： 内容：', ['企业', '行业', '投资额', '内容']],
      ['only company', '企业：深圳市星河智能科技有限公司', ['行业', '投资额', '内容']],
    ])('%s', (_label, body, missing) => {
      const r = failure(body);
      expect(r.missing).toEqual(missing);
    });

    it('contact, area, credit code and origin are optional', () => {
      const r = lead('企业：星河科技有限公司 行业：新材料 投资额：1亿 内容：扩产');
      expect(r.contactName).toBeNull();
      expect(r.contactPhone).toBeNull();
      expect(r.intendedArea).toBeNull();
      expect(r.creditCode).toBeNull();
      expect(r.originRegion).toBeNull();
    });

    it('explains text without any key', () => {
      const r = failure('深圳星河 电子信息 5亿 拟建基地');
      expect(r.missing).toEqual(['企业', '行业', '投资额', '内容']);
      expect(r.problems).toEqual(['未识别到“字段：内容”格式的信息，请参照示例填写']);
    });

    it('an empty body has no problem, only missing fields', () => {
      expect(failure('').problems).toEqual([]);
    });
  });

  describe('problems', () => {
    it.each<[string, string, string]>([
      ['amount nonsense', '投资额：很多', '投资额“很多”无法识别，请写成如“5亿元”或“3000万元”'],
      ['amount without unit', '投资额：5000', '投资额“5000”无法识别，请写成如“5亿元”或“3000万元”'],
      ['amount zero', '投资额：0元', '投资额“0元”无法识别，请写成如“5亿元”或“3000万元”'],
      [
        'amount in euro',
        '投资额：5000万欧元',
        '投资额“5000万欧元”的币种暂不支持，请折算为人民币或美元填写，如“5亿元”或“3500万美元”',
      ],
      [
        'long amount is clipped in the message',
        '投资额：大概五到十个亿之间具体还要看对方董事会的决定',
        '投资额“大概五到十个亿之间具体还要看对方董事会…”无法识别，请写成如“5亿元”或“3000万元”',
      ],
      [
        'credit code with a wrong check digit',
        '信用代码：91350100M000100Y44',
        '统一社会信用代码“91350100M000100Y44”校验未通过，请核对后重新填写',
      ],
      ['credit code too short', '信用代码：9135010', '统一社会信用代码“9135010”应为18位，当前为7位，请核对'],
      [
        'bad phone',
        '联系人：王经理 1391234567',
        '联系电话“1391234567”无法识别，请填写11位手机号码或带区号的固定电话',
      ],
    ])('%s', (_label, replacement, problem) => {
      const key = replacement.split('：')[0];
      const body = key === '投资额' ? EXAMPLE_BODY.replace('投资额：5亿元', replacement) : key === '联系人'
        ? EXAMPLE_BODY.replace('联系人：王经理 13912345678', replacement)
        : `${EXAMPLE_BODY} ${replacement}`;
      const r = failure(body);
      expect(r.missing).toEqual([]);
      expect(r.problems).toEqual([problem]);
    });

    it.each([['有限公司'], ['（中国）有限公司'], ['Co., Ltd.']])('company name %j leaves no key', (name) => {
      const r = failure(EXAMPLE_BODY.replace('深圳市星河智能科技有限公司', name));
      expect(r.problems).toEqual([`企业名称“${name}”不完整，请填写企业全称`]);
    });

    it('flags a colon in the company name (an unknown key was swallowed)', () => {
      const r = failure(EXAMPLE_BODY.replace('深圳市星河智能科技有限公司', '深圳市星河智能科技有限公司 项目地址：长沙市'));
      expect(r.problems).toEqual(['企业名称“深圳市星河智能科技有限公司项目地址：长…”中含有冒号，请检查字段名称是否填写正确']);
    });

    it('flags an over-long company name', () => {
      const r = failure(EXAMPLE_BODY.replace('深圳市星河智能科技有限公司', '星'.repeat(101)));
      expect(r.problems).toEqual(['企业名称过长（超过100字），请填写企业全称']);
    });

    it('reports missing fields and problems together', () => {
      const r = failure('企业：有限公司 投资额：很多 信用代码：123');
      expect(r.missing).toEqual(['行业', '内容']);
      expect(r.problems).toEqual([
        '企业名称“有限公司”不完整，请填写企业全称',
        '投资额“很多”无法识别，请写成如“5亿元”或“3000万元”',
        '统一社会信用代码“123”应为18位，当前为3位，请核对',
      ]);
    });

    it('ignores an empty credit code', () => {
      expect(lead(`${EXAMPLE_BODY} 信用代码： `).creditCode).toBeNull();
    });
  });

  describe('length cap', () => {
    it(`accepts a body of exactly ${MAX_LEAD_BODY_CHARS} characters`, () => {
      const pad = '拟'.repeat(MAX_LEAD_BODY_CHARS - EXAMPLE_BODY.length);
      const body = EXAMPLE_BODY + pad;
      expect(Array.from(body)).toHaveLength(MAX_LEAD_BODY_CHARS);
      expect(parseLeadFields(body).ok).toBe(true);
    });

    it('rejects a longer body with a problem', () => {
      const body = EXAMPLE_BODY + ' 内容：' + '很长'.repeat(100000);
      const r = failure(body);
      expect(r.missing).toEqual([]);
      expect(r.problems).toEqual(['报送内容超过2000字，请精简后重新发送（项目内容可简要概括）']);
    });

    it('counts characters, not UTF-16 units (emoji count once)', () => {
      const pad = '😀'.repeat(MAX_LEAD_BODY_CHARS - EXAMPLE_BODY.length);
      expect(parseLeadFields(EXAMPLE_BODY + pad).ok).toBe(true);
    });

    // How long the long inputs take is printed by `npm run bench:parsing`, not judged here.
    it('answers a worst-case body under the cap with what is wrong', () => {
      const body = '企业：'.repeat(Math.floor(MAX_LEAD_BODY_CHARS / 3));
      const r = failure(body);
      expect(r.missing).toEqual(['行业', '投资额', '内容']);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toContain('含有冒号');
    });

    it('tolerates non-strings at runtime', () => {
      expect(parseLeadFields(undefined as unknown as string)).toEqual({
        ok: false,
        missing: ['企业', '行业', '投资额', '内容'],
        problems: [],
      });
    });
  });
});

describe('splitContact', () => {
  it.each<[string, string | null, string | null]>([
    ['王经理 13912345678', '王经理', '13912345678'],
    ['王经理13912345678', '王经理', '13912345678'],
    ['13912345678 王经理', '王经理', '13912345678'],
    ['13912345678', null, '13912345678'],
    ['王经理', '王经理', null],
    ['王经理 139-1234-5678', '王经理', '13912345678'],
    ['王经理 139 1234 5678', '王经理', '13912345678'],
    ['王经理 +86 13912345678', '王经理', '13912345678'],
    ['王经理 8613912345678', '王经理', '13912345678'],
    ['王经理，电话：13912345678', '王经理', '13912345678'],
    ['王经理 手机13912345678', '王经理', '13912345678'],
    ['王经理（13912345678）', '王经理', '13912345678'],
    ['王经理 １３９１２３４５６７８', '王经理', '13912345678'],
    ['王经理 0731-12345678', '王经理', '0731-12345678'],
    ['王经理 (0731)12345678', '王经理', '0731-12345678'],
    ['王经理 010-1234567', '王经理', '010-1234567'],
    ['王经理 0731-12345678转801', '王经理', '0731-12345678-801'],
    ['王经理 13912345678 李处长 13812345678', '王经理 李处长 13812345678', '13912345678'],
    ['John Smith 13912345678', 'John Smith', '13912345678'],
  ])('%j', (raw, name, phone) => {
    const r = splitContact(raw);
    expect(r).toEqual({ name, phone, badDigits: null });
  });

  it.each([
    ['王经理 1391234567', '1391234567'],
    ['王经理 139123456789', '139123456789'],
    ['王经理 12345678901', '12345678901'],
  ])('flags %j', (raw, bad) => {
    expect(splitContact(raw).badDigits).toBe(bad);
  });

  it('merges a separate phone key into the contact', () => {
    const r = lead(`${EXAMPLE_BODY.replace(' 联系人：王经理 13912345678', '')} 联系人：王经理 电话：0731-12345678`);
    expect(r.contactName).toBe('王经理');
    expect(r.contactPhone).toBe('0731-12345678');
  });
});

import { cleanChatText, parseChatCommand } from './chat-command';
import { LEAD_EXAMPLE } from './replies';

const BODY = '企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 内容：拟建智能终端生产基地';

describe('parseChatCommand', () => {
  describe('submit-lead', () => {
    it.each([
      [`报线索 ${BODY}`],
      [`报线索：${BODY}`],
      [`报线索:${BODY}`],
      [`报线索： ${BODY}`],
      [`报线索，${BODY}`],
      [`报线索\n${BODY}`],
      [`报线索${BODY}`],
      [`报送线索 ${BODY}`],
      [`线索 ${BODY}`],
      [`线索：${BODY}`],
      [`首谈首报 ${BODY}`],
      [`首谈首报：${BODY}`],
      [` 报线索 ${BODY} `], // DingTalk leading space
      [`\u3000报线索 ${BODY}\u3000`],
      [`@招商助手 报线索 ${BODY}`],
      [`@招商助手\u2005报线索 ${BODY}`], // WeCom puts U+2005 after a mention
      [`＠招商助手 报线索 ${BODY}`],
      [`@招商助手 @张三 报线索 ${BODY}`],
      [`\u200B报线索 ${BODY}`],
    ])('%j', (text) => {
      expect(parseChatCommand(text)).toEqual({ kind: 'submit-lead', body: BODY });
    });

    it('keeps a multi-line body intact apart from trimming', () => {
      const text = '报线索\n企业：星河\n行业：电子信息\n';
      expect(parseChatCommand(text)).toEqual({ kind: 'submit-lead', body: '企业：星河\n行业：电子信息' });
    });

    it.each([['报线索'], ['报线索：'], ['  报线索  '], ['@招商助手 首谈首报'], ['线索']])(
      'keyword alone %j gives an empty body',
      (text) => {
        expect(parseChatCommand(text)).toEqual({ kind: 'submit-lead', body: '' });
      },
    );

    it('parses the shared example', () => {
      const cmd = parseChatCommand(LEAD_EXAMPLE);
      expect(cmd.kind).toBe('submit-lead');
    });
  });

  describe('help', () => {
    it.each([['帮助'], ['help'], ['HELP'], ['Help'], ['/help'], ['?'], ['？'], ['菜单'], ['使用说明'], [' 帮助 '], ['帮助。'], ['@招商助手 帮助'], ['@招商助手\u2005?'], ['??']])(
      '%j',
      (text) => {
        expect(parseChatCommand(text)).toEqual({ kind: 'help' });
      },
    );
  });

  describe('unknown', () => {
    it.each([
      ['', ''],
      ['   ', ''],
      ['@招商助手', ''],
      ['@招商助手 ', ''],
      ['你好', '你好'],
      ['  你好  ', '你好'],
      ['@招商助手 你好', '你好'],
      ['线索统计', '线索统计'],
      ['线索怎么报', '线索怎么报'],
      ['首谈首报是什么意思', '首谈首报是什么意思'],
      ['报线索了吗', '报线索了吗'],
      ['帮助我报线索', '帮助我报线索'],
      ['我要报线索', '我要报线索'],
      ['help me', 'help me'],
      ['企业：星河 行业：电子', '企业：星河 行业：电子'],
      ['😀', '😀'],
    ])('%j', (text, cleaned) => {
      expect(parseChatCommand(text)).toEqual({ kind: 'unknown', text: cleaned });
    });

    it('tolerates non-strings at runtime', () => {
      expect(parseChatCommand(undefined as unknown as string)).toEqual({ kind: 'unknown', text: '' });
    });
  });

  // How long it takes is printed by `npm run bench:parsing`, not judged here.
  it('reads a long message with many mentions', () => {
    const long = `@a `.repeat(5000) + '报线索 ' + '企业：x '.repeat(5000);
    const cmd = parseChatCommand(long);
    expect(cmd).toEqual({ kind: 'submit-lead', body: '企业：x '.repeat(5000).trim() });
  });
});

describe('cleanChatText', () => {
  it('removes mentions, invisible characters and surrounding whitespace', () => {
    expect(cleanChatText('\uFEFF @招商助手\u2005 帮助 \n')).toBe('帮助');
  });
});

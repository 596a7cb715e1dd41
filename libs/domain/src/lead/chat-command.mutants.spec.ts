import { cleanChatText, HELP_KEYWORDS, parseChatCommand, SUBMIT_LEAD_KEYWORDS } from './chat-command';

/**
 * Cases that kill mutations chat-command.spec.ts let survive (found with `npm run mutation`).
 */
describe('the advertised keywords are the recognised ones', () => {
  it('recognises every help keyword it advertises, and advertises these', () => {
    expect(HELP_KEYWORDS).toEqual(['帮助', 'help', '?', '？', '菜单', '使用说明']);
    for (const k of HELP_KEYWORDS) expect(parseChatCommand(k)).toEqual({ kind: 'help' });
  });

  it('recognises every submission keyword it advertises', () => {
    expect(SUBMIT_LEAD_KEYWORDS).toEqual(['报送线索', '首谈首报', '报线索', '线索']);
    for (const k of SUBMIT_LEAD_KEYWORDS) expect(parseChatCommand(`${k} 企业：星河`)).toEqual({ kind: 'submit-lead', body: '企业：星河' });
  });
});

describe('only what a message starts with counts', () => {
  it.each([['需要帮助'], ['我想问个问题？'], ['请看菜单']])('%j is not a request for help', (text) => {
    expect(parseChatCommand(text)).toEqual({ kind: 'unknown', text });
  });

  it('keeps an @ inside the text (an e-mail address), removing only leading mentions', () => {
    expect(cleanChatText('你好 a@b.com')).toBe('你好 a@b.com');
    expect(parseChatCommand('@招商助手 报线索 企业：星河 邮箱：wang@xinghe.com')).toEqual({
      kind: 'submit-lead',
      body: '企业：星河 邮箱：wang@xinghe.com',
    });
  });
});

import { renderDingtalkConsolePage } from './dingtalk-console-page';
import { renderWecomConsolePage } from './wecom-console-page';

const pages = {
  wecom: renderWecomConsolePage({ corpId: 'wwtest', agentId: '1000002' }),
  dingtalk: renderDingtalkConsolePage({ robotName: '招商助手', robotCode: 'dingtest' }),
};
const scriptOf = (html: string) => html.split('<script>')[1].split('</script>')[0];

describe.each(Object.entries(pages))('%s console page, as a person finds it', (name, html) => {
  it('has a script that parses', () => {
    expect(() => new Function(scriptOf(html))).not.toThrow();
  });

  it('keeps the status bar in the page flow, never over the send buttons or footers', () => {
    expect(html).not.toMatch(/#statusbar\{[^}]*position:\s*fixed/);
    expect(html).toMatch(/body\{display:flex;flex-direction:column;height:100vh\}/);
  });

  it('remembers unread counts and what was already counted across a reload', () => {
    expect(scriptOf(html)).toContain(`saveStore('zs.sim.${name}.seen'`);
    expect(scriptOf(html)).toContain(`loadStore('zs.sim.${name}.unread'`);
    expect(scriptOf(html)).toMatch(/it\.seq > S\.seen/);
  });

  it('lists accounts that are not in the address book, so their messages can be read', () => {
    expect(scriptOf(html)).toContain('通讯录以外的账号');
  });
});

describe('DingTalk console', () => {
  it('shows the chosen HTTP/Stream mode as a pill that stands out on the blue bar', () => {
    expect(pages.dingtalk).toMatch(/#top \.modes label\.on\{background:#fff/);
    expect(scriptOf(pages.dingtalk)).toMatch(/S\.mode === 'http' \? 'on'/);
  });
});

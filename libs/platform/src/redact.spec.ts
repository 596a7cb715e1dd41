import { redactText } from './redact';
import { createLogger } from './logger';
import { Writable } from 'stream';

describe('secret redaction', () => {
  it('scrubs tokens, keys and passwords from free text', () => {
    const s = redactText(
      'GET https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=S3CRET and webhook/send?key=abc-123 postgres://u:pa55@db/x Bearer eyJabc.def',
    );
    expect(s).not.toMatch(/S3CRET|abc-123|pa55|eyJabc/);
    expect(s).toContain('corpid=ww1');
  });

  it('scrubs DingTalk sessionWebhook sessions, Stream tickets and robot signatures', () => {
    const s = redactText('POST https://oapi.dingtalk.com/robot/sendBySession?session=5e55ion wss://wss-open-connection.dingtalk.com/connect?ticket=T1CKET robot/send?access_token=ACC&timestamp=1&sign=S1GN');
    expect(s).not.toMatch(/5e55ion|T1CKET|ACC|S1GN/);
  });

  it('redacts secret-named fields in structured logs', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _e, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger('t', 'info', sink);
    logger.info({ secret: 'x1', config: { token: 'x2', encodingAesKey: 'x3' } }, 'boot with ?access_token=x4');
    const out = lines.join('');
    expect(out).not.toMatch(/x1|x2|x3|x4/);
    expect(out).toContain('[REDACTED]');
  });
});

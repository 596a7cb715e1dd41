import * as channels from './index';

describe('@zs/channels public API', () => {
  it('exports every helper by its specified name', () => {
    for (const name of [
      'WecomCrypto',
      'WecomCryptoError',
      'WecomErrorCode',
      'parseWecomXml',
      'buildWecomXml',
      'signDingtalkRobotUrl',
      'dingtalkCallbackSign',
      'verifyDingtalkCallback',
      'splitUtf8ByBytes',
      'utf8Bytes',
    ]) {
      expect(channels).toHaveProperty(name);
      expect((channels as Record<string, unknown>)[name]).toBeDefined();
    }
  });

  it('errors thrown by the XML parser are the same WecomCryptoError class', () => {
    expect(() => channels.parseWecomXml('<!DOCTYPE x><xml/>')).toThrow(channels.WecomCryptoError);
  });
});

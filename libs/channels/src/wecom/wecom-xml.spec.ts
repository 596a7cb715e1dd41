import { WecomCryptoError, WecomErrorCode } from './wecom-crypto';
import { buildWecomXml, parseWecomXml, WECOM_XML_MAX_DEPTH, wecomCdata } from './wecom-xml';

function parseCode(xml: string, maxBytes?: number): number | string {
  try {
    parseWecomXml(xml, maxBytes);
  } catch (e) {
    if (e instanceof WecomCryptoError) return e.code;
    return `non-WecomCryptoError: ${String(e)}`;
  }
  return 'no error';
}

const SET_B_PLAINTEXT =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n' +
  '<FromUserName><![CDATA[mycreate]]></FromUserName>\n' +
  '<CreateTime>1409659813</CreateTime>\n' +
  '<MsgType><![CDATA[text]]></MsgType>\n' +
  '<Content><![CDATA[hello]]></Content>\n' +
  '<MsgId>4561255354251345929</MsgId>\n' +
  '<AgentID>218</AgentID>\n' +
  '</xml>';

describe('parseWecomXml: accepted input', () => {
  it('parses the Set B message; MsgId survives exactly as a string', () => {
    const f = parseWecomXml(SET_B_PLAINTEXT);
    expect(f.MsgId).toBe('4561255354251345929');
    expect(typeof f.CreateTime).toBe('string');
    expect(f).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });

  it('parses the encrypted callback envelope in any element order', () => {
    const a = parseWecomXml(
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>',
    );
    const b = parseWecomXml(
      '<xml>\n  <Encrypt><![CDATA[abc+/=]]></Encrypt>\r\n  <AgentID><![CDATA[218]]></AgentID>\n  <ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n</xml>\n',
    );
    expect(a).toEqual(b);
    expect(a).toEqual({ ToUserName: 'wx5823bf96d3bd56c7', AgentID: '218', Encrypt: 'abc+/=' });
  });

  it('accepts an optional leading XML declaration and BOM', () => {
    expect(parseWecomXml('<?xml version="1.0" encoding="UTF-8"?>\n<xml><A>1</A></xml>')).toEqual({ A: '1' });
    expect(parseWecomXml('\uFEFF<?xml version="1.0"?><xml><A>1</A></xml>')).toEqual({ A: '1' });
  });

  it('empty elements and an empty root', () => {
    expect(parseWecomXml('<xml><A></A><B/><C /><D><![CDATA[]]></D></xml>')).toEqual({ A: '', B: '', C: '', D: '' });
    expect(parseWecomXml('<xml></xml>')).toEqual({});
    expect(parseWecomXml('<xml/>')).toEqual({});
  });

  it('keeps CDATA content verbatim (no entity decoding, markup-looking text allowed)', () => {
    const f = parseWecomXml(
      '<xml><Content><![CDATA[a &amp; b <b>x</b> <!DOCTYPE x> <!ENTITY y "z"> <?pi?> &foo;]]></Content></xml>',
    );
    expect(f.Content).toBe('a &amp; b <b>x</b> <!DOCTYPE x> <!ENTITY y "z"> <?pi?> &foo;');
  });

  it('joins adjacent CDATA sections (a split "]]>") and mixed text', () => {
    expect(parseWecomXml('<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>').A).toBe('a]]>b');
    expect(parseWecomXml('<xml><A>x<![CDATA[<y>]]>z</A></xml>').A).toBe('x<y>z');
  });

  it('keeps whitespace inside values', () => {
    expect(parseWecomXml('<xml><A>  a b\n</A><B><![CDATA[ \n ]]></B></xml>')).toEqual({ A: '  a b\n', B: ' \n ' });
  });

  it('decodes the five predefined entities and numeric character references in text', () => {
    expect(parseWecomXml('<xml><A>&lt;&gt;&amp;&quot;&apos;</A></xml>').A).toBe('<>&"\'');
    expect(parseWecomXml('<xml><A>&#20320;&#x597D;&#x1F600;&#10;</A></xml>').A).toBe('你好😀\n');
  });

  it('does not double-decode (&amp;lt; is "&lt;")', () => {
    expect(parseWecomXml('<xml><A>&amp;lt;</A></xml>').A).toBe('&lt;');
  });

  it('keeps a nested element as its raw inner XML (documented decision)', () => {
    const xml =
      '<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[scancode_push]]></Event>' +
      '<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo></xml>';
    const f = parseWecomXml(xml);
    expect(f.Event).toBe('scancode_push');
    expect(f.ScanCodeInfo).toBe('<ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult>');
    // the raw text can itself be parsed by wrapping it
    expect(parseWecomXml(`<xml>${f.ScanCodeInfo}</xml>`)).toEqual({ ScanType: 'qrcode', ScanResult: '1' });
  });

  it('accepts nesting up to the depth limit (SendPicsInfo/PicList/item/PicMd5Sum is 4)', () => {
    const pics =
      '<xml><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum></item></PicList></SendPicsInfo></xml>';
    expect(parseWecomXml(pics).SendPicsInfo).toContain('<PicMd5Sum>');
    let inner = 'x';
    for (let d = WECOM_XML_MAX_DEPTH; d >= 1; d--) inner = `<E${d}>${inner}</E${d}>`;
    expect(() => parseWecomXml(`<xml>${inner}</xml>`)).not.toThrow();
  });

  it('accepts exactly maxBytes bytes (counted in UTF-8)', () => {
    const xml = '<xml><A>你</A></xml>';
    const bytes = Buffer.byteLength(xml);
    expect(parseWecomXml(xml, bytes).A).toBe('你');
    expect(parseCode(xml, bytes - 1)).toBe(WecomErrorCode.Parse);
  });
});

describe('parseWecomXml: rejected input (-40002)', () => {
  it.each([
    ['DOCTYPE', '<!DOCTYPE xml><xml><A>1</A></xml>'],
    ['DOCTYPE after the declaration', '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e "x">]><xml><A>&e;</A></xml>'],
    ['lower-case doctype', '<!doctype xml><xml><A>1</A></xml>'],
    ['ENTITY declaration', '<!ENTITY e "x"><xml><A>1</A></xml>'],
    ['DOCTYPE inside the root', '<xml><!DOCTYPE x><A>1</A></xml>'],
    ['ENTITY inside the root', '<xml><!ENTITY e "x"><A>1</A></xml>'],
    ['DOCTYPE inside an element', '<xml><A><!DOCTYPE x>1</A></xml>'],
    ['XXE external entity', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>'],
    ['billion laughs', '<!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><xml><A>&b;</A></xml>'],
    ['processing instruction after the declaration', '<?xml version="1.0"?><?xml-stylesheet href="x"?><xml/>'],
    ['processing instruction in the root', '<xml><?php echo 1; ?><A>1</A></xml>'],
    ['processing instruction in an element', '<xml><A><?pi x?></A></xml>'],
    ['processing instruction after the root', '<xml><A>1</A></xml><?pi?>'],
    ['a non-xml leading PI', '<?php ?><xml/>'],
    ['XML declaration not first', '<xml><?xml version="1.0"?></xml>'],
    ['unterminated XML declaration', '<?xml version="1.0"<xml/>'],
    ['comment', '<xml><!-- hi --><A>1</A></xml>'],
    ['unknown entity', '<xml><A>&foo;</A></xml>'],
    ['unknown entity (nbsp)', '<xml><A>a&nbsp;b</A></xml>'],
    ['bare ampersand', '<xml><A>a & b</A></xml>'],
    ['unterminated entity', '<xml><A>&amp</A></xml>'],
    ['numeric reference to NUL', '<xml><A>&#0;</A></xml>'],
    ['numeric reference to a surrogate', '<xml><A>&#xD800;</A></xml>'],
    ['numeric reference beyond U+10FFFF', '<xml><A>&#x110000;</A></xml>'],
    ['malformed numeric reference', '<xml><A>&#x;</A></xml>'],
    ['upper-case X in a hex reference', '<xml><A>&#X41;</A></xml>'],
    ['"]]>" outside CDATA', '<xml><A>a]]>b</A></xml>'],
    ['unterminated CDATA', '<xml><A><![CDATA[abc</A></xml>'],
    ['CDATA directly under the root', '<xml><![CDATA[x]]><A>1</A></xml>'],
    ['text directly under the root', '<xml>hello<A>1</A></xml>'],
    ['wrong root name', '<root><A>1</A></root>'],
    ['no root', 'hello'],
    ['empty input', ''],
    ['two roots', '<xml><A>1</A></xml><xml><B>2</B></xml>'],
    ['trailing text', '<xml><A>1</A></xml>x'],
    ['unclosed root', '<xml><A>1</A>'],
    ['unclosed child', '<xml><A>1</xml>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['attributes', '<xml><A type="x">1</A></xml>'],
    ['attributes on the root', '<xml a="1"><A>1</A></xml>'],
    ['duplicate element', '<xml><Encrypt><![CDATA[a]]></Encrypt><Encrypt><![CDATA[b]]></Encrypt></xml>'],
    ['__proto__ element', '<xml><__proto__>1</__proto__></xml>'],
    ['namespace prefix', '<xml><a:B>1</a:B></xml>'],
    ['invalid element name', '<xml><1A>1</1A></xml>'],
    ['control character', '<xml><A>\u0001</A></xml>'],
    ['NUL inside CDATA', '<xml><A><![CDATA[\u0000]]></A></xml>'],
    ['bad nested close', '<xml><A><B>1</A></B></xml>'],
  ])('%s', (_label, xml) => {
    expect(parseCode(xml)).toBe(WecomErrorCode.Parse);
  });

  it('nesting deeper than the limit', () => {
    let inner = 'x';
    for (let d = WECOM_XML_MAX_DEPTH + 1; d >= 1; d--) inner = `<E${d}>${inner}</E${d}>`;
    expect(parseCode(`<xml>${inner}</xml>`)).toBe(WecomErrorCode.Parse);
    // a deeply nested bomb fails fast, without a stack overflow
    const bomb = '<xml>' + '<a>'.repeat(20000) + '</a>'.repeat(20000) + '</xml>';
    expect(parseCode(bomb, 1024 * 1024)).toBe(WecomErrorCode.Parse);
  });

  it('nested content obeys the same rules (entities, DOCTYPE, PI)', () => {
    expect(parseCode('<xml><A><B>&foo;</B></A></xml>')).toBe(WecomErrorCode.Parse);
    expect(parseCode('<xml><A><B><!DOCTYPE x></B></A></xml>')).toBe(WecomErrorCode.Parse);
    expect(parseCode('<xml><A><B><?pi?></B></A></xml>')).toBe(WecomErrorCode.Parse);
    expect(parseCode('<xml><A><B c="d"/></A></xml>')).toBe(WecomErrorCode.Parse);
  });

  it('oversized input (default 64 KiB and a custom limit)', () => {
    const big = `<xml><A><![CDATA[${'a'.repeat(64 * 1024)}]]></A></xml>`;
    expect(parseCode(big)).toBe(WecomErrorCode.Parse);
    expect(parseCode('<xml><A>1</A></xml>', 10)).toBe(WecomErrorCode.Parse);
    // multi-byte: 30000 CJK characters are 90000 bytes although the string is short
    const cjk = `<xml><A><![CDATA[${'你'.repeat(30000)}]]></A></xml>`;
    expect(cjk.length).toBeLessThan(64 * 1024);
    expect(parseCode(cjk)).toBe(WecomErrorCode.Parse);
  });

  it('throws WecomCryptoError, with code -40002', () => {
    expect(() => parseWecomXml('<!DOCTYPE x><xml/>')).toThrow(WecomCryptoError);
    expect(() => parseWecomXml(undefined as unknown as string)).toThrow(WecomCryptoError);
  });
});

describe('buildWecomXml', () => {
  it('wraps strings in CDATA and numbers bare, in key order', () => {
    expect(
      buildWecomXml({ ToUserName: 'ChenJiaShun', CreateTime: 1476422779, MsgType: 'text', Content: '你好' }),
    ).toBe(
      '<xml><ToUserName><![CDATA[ChenJiaShun]]></ToUserName><CreateTime>1476422779</CreateTime>' +
        '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>',
    );
  });

  it('reproduces the Set C plaintext', () => {
    expect(
      buildWecomXml({
        ToUserName: 'ChenJiaShun',
        FromUserName: 'ww1436e0e65a779aee',
        CreateTime: 1476422779,
        MsgType: 'text',
        Content: '你好',
      }),
    ).toBe(
      '<xml><ToUserName><![CDATA[ChenJiaShun]]></ToUserName><FromUserName><![CDATA[ww1436e0e65a779aee]]></FromUserName><CreateTime>1476422779</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>',
    );
  });

  it('splits "]]>" safely and round-trips through the parser', () => {
    const tricky = 'a]]>b]]]]>c<![CDATA[d]]>&amp;<!DOCTYPE x>';
    expect(wecomCdata(']]>')).toBe('<![CDATA[]]]]><![CDATA[>]]>');
    const xml = buildWecomXml({ Content: tricky, Empty: '' });
    expect(parseWecomXml(xml)).toEqual({ Content: tricky, Empty: '' });
  });

  it('bigint for 64-bit ids: MsgId is written bare and parsed back exactly', () => {
    const xml = buildWecomXml({ MsgId: 4561255354251345929n, AgentID: 218 });
    expect(xml).toBe('<xml><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>');
    expect(parseWecomXml(xml)).toEqual({ MsgId: '4561255354251345929', AgentID: '218' });
  });

  it('rejects unsafe integers, non-finite numbers, bad names and other types', () => {
    expect(() => buildWecomXml({ MsgId: 4561255354251345929 })).toThrow(RangeError);
    expect(() => buildWecomXml({ A: Number.NaN })).toThrow(RangeError);
    expect(() => buildWecomXml({ A: Infinity })).toThrow(RangeError);
    expect(() => buildWecomXml({ 'a b': 'x' })).toThrow(RangeError);
    expect(() => buildWecomXml({ '<A>': 'x' })).toThrow(RangeError);
    expect(() => buildWecomXml({ A: null as unknown as string })).toThrow(TypeError);
  });

  it('an empty object gives an empty root', () => {
    expect(buildWecomXml({})).toBe('<xml></xml>');
    expect(parseWecomXml(buildWecomXml({}))).toEqual({});
  });
});

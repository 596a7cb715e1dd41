/**
 * A small, strict parser and builder for WeCom's flat callback XML:
 *
 *   <xml><ToUserName><![CDATA[..]]></ToUserName><CreateTime>123</CreateTime>...</xml>
 *
 * Parsing rules (anything else throws `WecomCryptoError(-40002)`):
 * - Input larger than `maxBytes` UTF-8 bytes is rejected before parsing.
 * - An optional BOM, then an optional leading `<?xml ...?>` declaration. Any other
 *   processing instruction, any `<!DOCTYPE`, `<!ENTITY`, comment or other `<!` markup
 *   outside CDATA is rejected. Entities are never expanded.
 * - The root element must be `<xml>`; only whitespace may surround it.
 * - Root children: elements without attributes (`<A>..</A>` or `<A/>`), separated by
 *   whitespace. Text directly under the root is rejected. Duplicate child names are
 *   rejected (no "last one wins" ambiguity, e.g. two `<Encrypt>`).
 * - A child's value is the concatenation of its CDATA sections and text. Text outside CDATA
 *   decodes only `&lt; &gt; &amp; &quot; &apos;` and numeric references (`&#NN;`, `&#xHH;`)
 *   to valid XML characters; any other `&...` is an error, as is `]]>` outside CDATA.
 * - Values are always strings (`<MsgId>4561255354251345929</MsgId>` survives exactly).
 * - Nested elements (DECISION): some WeCom events carry nested data (e.g. `ScanCodeInfo`,
 *   `SendPicsInfo/PicList/item`). A child that contains elements is kept as its raw, undecoded
 *   inner XML string, after the nested content has been checked with the same strict rules.
 *   Nesting deeper than {@link WECOM_XML_MAX_DEPTH} levels below the root is rejected.
 * - Characters not allowed in XML 1.0 (C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF)
 *   are rejected.
 */
import { WecomCryptoError, WecomErrorCode } from './wecom-crypto';

export const WECOM_XML_DEFAULT_MAX_BYTES = 64 * 1024;
/** Maximum element depth below `<xml>` (root children are depth 1). */
export const WECOM_XML_MAX_DEPTH = 8;

const NAME_RE = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const FULL_NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const WS_RE = /[ \t\r\n]*/y;
const FORBIDDEN_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function fail(message: string): never {
  throw new WecomCryptoError(WecomErrorCode.Parse, `invalid WeCom XML: ${message}`);
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and numeric character references; rejects anything else. */
function decodeText(raw: string): string {
  if (raw.includes(']]>')) fail("']]>' outside CDATA");
  if (!raw.includes('&')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    const semi = raw.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) fail('unterminated entity reference');
    const ref = raw.slice(amp + 1, semi);
    if (Object.prototype.hasOwnProperty.call(PREDEFINED, ref)) {
      out += PREDEFINED[ref];
    } else {
      let cp: number;
      if (/^#[0-9]{1,7}$/.test(ref)) cp = parseInt(ref.slice(1), 10);
      else if (/^#x[0-9A-Fa-f]{1,6}$/.test(ref)) cp = parseInt(ref.slice(2), 16);
      else fail(`entity '&${ref};' is not allowed`);
      if (!isXmlChar(cp)) fail(`character reference '&${ref};' is not a valid XML character`);
      out += String.fromCodePoint(cp);
    }
    i = semi + 1;
  }
  return out;
}

class Parser {
  private pos = 0;

  constructor(private readonly s: string) {}

  parse(): Record<string, string> {
    const s = this.s;
    if (s.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.ws();
    if (s.startsWith('<?', this.pos)) {
      if (!/^<\?xml[ \t\r\n?]/.test(s.slice(this.pos, this.pos + 6))) fail('processing instruction');
      const end = s.indexOf('?>', this.pos + 5);
      if (end < 0) fail('unterminated XML declaration');
      const decl = s.slice(this.pos + 5, end);
      if (decl.includes('<') || decl.includes('>')) fail('malformed XML declaration');
      this.pos = end + 2;
      this.ws();
    }
    this.rejectMarkup();
    if (s[this.pos] !== '<') fail('expected <xml> root element');
    this.pos++;
    const rootName = this.name();
    if (rootName !== 'xml') fail(`root element must be <xml>, got <${rootName}>`);
    this.ws();
    const out: Record<string, string> = {};
    if (s.startsWith('/>', this.pos)) {
      this.pos += 2;
    } else {
      this.expect('>');
      for (;;) {
        this.ws();
        if (this.pos >= s.length) fail('unterminated <xml> root element');
        if (s.startsWith('</', this.pos)) {
          this.closeTag('xml');
          break;
        }
        this.rejectMarkup();
        if (s[this.pos] !== '<') fail('text directly under <xml>');
        const { name, value } = this.element(1);
        if (name === '__proto__') fail('illegal element name');
        if (Object.prototype.hasOwnProperty.call(out, name)) fail(`duplicate element <${name}>`);
        out[name] = value;
      }
    }
    this.ws();
    if (this.pos !== s.length) fail('content after the root element');
    return out;
  }

  /** Parses `<Name>...</Name>` or `<Name/>` starting at '<'. */
  private element(depth: number): { name: string; value: string } {
    if (depth > WECOM_XML_MAX_DEPTH) fail(`elements nested deeper than ${WECOM_XML_MAX_DEPTH} levels`);
    const s = this.s;
    this.pos++; // '<'
    const name = this.name();
    this.ws();
    if (s.startsWith('/>', this.pos)) {
      this.pos += 2;
      return { name, value: '' };
    }
    if (s[this.pos] !== '>') fail(`attributes are not supported (in <${name}>)`);
    this.pos++;

    const rawStart = this.pos;
    let value = '';
    let nested = false;
    for (;;) {
      if (this.pos >= s.length) fail(`unterminated element <${name}>`);
      if (s.startsWith('<![CDATA[', this.pos)) {
        const end = s.indexOf(']]>', this.pos + 9);
        if (end < 0) fail('unterminated CDATA section');
        value += s.slice(this.pos + 9, end);
        this.pos = end + 3;
      } else if (s.startsWith('</', this.pos)) {
        const rawEnd = this.pos;
        this.closeTag(name);
        return { name, value: nested ? s.slice(rawStart, rawEnd) : value };
      } else if (s[this.pos] === '<') {
        this.rejectMarkup();
        nested = true;
        this.element(depth + 1);
      } else {
        let next = s.indexOf('<', this.pos);
        if (next < 0) next = s.length;
        value += decodeText(s.slice(this.pos, next));
        this.pos = next;
      }
    }
  }

  private closeTag(expected: string): void {
    this.pos += 2; // '</'
    const name = this.name();
    if (name !== expected) fail(`mismatched closing tag </${name}> for <${expected}>`);
    this.ws();
    this.expect('>');
  }

  /** Rejects `<!DOCTYPE`, `<!ENTITY`, comments, other `<!` markup and processing instructions. */
  private rejectMarkup(): void {
    const s = this.s;
    if (s.startsWith('<!', this.pos)) {
      const head = s.slice(this.pos, this.pos + 9).toUpperCase();
      if (head.startsWith('<!DOCTYPE')) fail('DOCTYPE is not allowed');
      if (head.startsWith('<!ENTITY')) fail('ENTITY declarations are not allowed');
      if (head.startsWith('<!--')) fail('comments are not allowed');
      if (head.startsWith('<![CDATA[')) fail('CDATA outside an element');
      fail('markup declarations are not allowed');
    }
    if (s.startsWith('<?', this.pos)) fail('processing instructions are not allowed here');
  }

  private name(): string {
    NAME_RE.lastIndex = this.pos;
    const m = NAME_RE.exec(this.s);
    if (!m) fail('invalid element name');
    this.pos += m[0].length;
    return m[0];
  }

  private ws(): void {
    WS_RE.lastIndex = this.pos;
    const m = WS_RE.exec(this.s);
    if (m) this.pos += m[0].length;
  }

  private expect(ch: string): void {
    if (this.s[this.pos] !== ch) fail(`expected '${ch}'`);
    this.pos++;
  }
}

/**
 * Parses WeCom's flat callback XML into a string map. Throws `WecomCryptoError(-40002)`
 * on anything outside the strict subset described at the top of this file.
 */
export function parseWecomXml(xml: string, maxBytes: number = WECOM_XML_DEFAULT_MAX_BYTES): Record<string, string> {
  if (typeof xml !== 'string') fail('input is not a string');
  // UTF-8 byte length >= UTF-16 length, so the cheap check is safe as a pre-filter.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
    fail(`input larger than ${maxBytes} bytes`);
  }
  if (FORBIDDEN_CHAR_RE.test(xml)) fail('character not allowed in XML 1.0');
  return new Parser(xml).parse();
}

/** Wraps a string in CDATA, splitting any `]]>` across two sections. */
export function wecomCdata(value: string): string {
  return '<![CDATA[' + value.split(']]>').join(']]]]><![CDATA[>') + ']]>';
}

/**
 * Builds `<xml><A><![CDATA[..]]></A><B>123</B></xml>`: strings in CDATA, numbers (and bigints,
 * for 64-bit ids such as MsgId) bare. Element order follows the object's key order.
 * Unsafe integers are rejected (they have already lost precision: pass a bigint or string).
 */
export function buildWecomXml(fields: Record<string, string | number | bigint>): string {
  let out = '<xml>';
  for (const [name, value] of Object.entries(fields)) {
    if (!FULL_NAME_RE.test(name) || name === '__proto__') {
      throw new RangeError(`invalid XML element name '${name}'`);
    }
    let body: string;
    if (typeof value === 'string') {
      body = wecomCdata(value);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`field ${name}: number must be finite`);
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw new RangeError(`field ${name}: ${value} is not a safe integer; pass a bigint or string`);
      }
      body = String(value);
    } else if (typeof value === 'bigint') {
      body = value.toString();
    } else {
      throw new TypeError(`field ${name}: unsupported value type ${typeof value}`);
    }
    out += `<${name}>${body}</${name}>`;
  }
  return out + '</xml>';
}

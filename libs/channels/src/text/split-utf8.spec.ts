import { splitUtf8ByBytes, utf8Bytes } from './split-utf8';

function check(text: string, max: number): string[] {
  const chunks = splitUtf8ByBytes(text, max);
  expect(chunks.join('')).toBe(text);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    expect(c.length).toBeGreaterThan(0);
    expect(utf8Bytes(c)).toBeLessThanOrEqual(max);
    expect(utf8Bytes(c)).toBe(Buffer.byteLength(c, 'utf8'));
    if (i + 1 < chunks.length) {
      // never split a surrogate pair
      const last = c.charCodeAt(c.length - 1);
      const first = chunks[i + 1].charCodeAt(0);
      expect(last >= 0xd800 && last <= 0xdbff && first >= 0xdc00 && first <= 0xdfff).toBe(false);
      // no chunk boundary where the next code point would still have fitted
      const cp = chunks[i + 1].codePointAt(0)!;
      const next = String.fromCodePoint(cp);
      const hasNewlineBreak = c.endsWith('\n');
      if (!hasNewlineBreak) expect(utf8Bytes(c) + utf8Bytes(next)).toBeGreaterThan(max);
    }
  }
  // UTF-8 bytes are preserved exactly across the split
  expect(Buffer.concat(chunks.map((c) => Buffer.from(c, 'utf8'))).equals(Buffer.from(text, 'utf8'))).toBe(true);
  return chunks;
}

describe('utf8Bytes', () => {
  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(utf8Bytes('')).toBe(0);
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('你好')).toBe(6);
    expect(utf8Bytes('😀')).toBe(4);
    expect(utf8Bytes('\uD800')).toBe(3);
  });
});

describe('splitUtf8ByBytes', () => {
  it('returns [] for an empty string and a single chunk when it fits', () => {
    expect(splitUtf8ByBytes('', 10)).toEqual([]);
    expect(splitUtf8ByBytes('hello', 5)).toEqual(['hello']);
    expect(splitUtf8ByBytes('你好', 6)).toEqual(['你好']);
  });

  it('splits ASCII at exactly maxBytes', () => {
    expect(splitUtf8ByBytes('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('never splits a 3-byte CJK character', () => {
    expect(check('你好世界', 7)).toEqual(['你好', '世界']);
    expect(check('a你好', 4)).toEqual(['a你', '好']);
  });

  it('never splits a surrogate pair (4-byte emoji)', () => {
    expect(check('a😀b😀', 5)).toEqual(['a😀', 'b😀']);
    expect(check('😀😀😀', 4)).toEqual(['😀', '😀', '😀']);
    expect(check('😀😀😀', 7)).toEqual(['😀', '😀', '😀']);
  });

  it('keeps lone surrogates (3 bytes as U+FFFD) without losing them', () => {
    check('a\uD800b\uDC00c', 4);
    check('\uD83D', 4);
  });

  it('never drops the tail', () => {
    const text = '你'.repeat(1000) + 'END';
    const chunks = check(text, 2048);
    expect(chunks[chunks.length - 1].endsWith('END')).toBe(true);
    expect(chunks.map(utf8Bytes)).toEqual([2046, 954 + 3]);
  });

  it('prefers a newline in the last 20% of the chunk', () => {
    const text = 'a'.repeat(85) + '\n' + 'b'.repeat(50);
    expect(check(text, 100)).toEqual(['a'.repeat(85) + '\n', 'b'.repeat(50)]);
  });

  it('ignores a newline earlier than the last 20%', () => {
    const text = 'a'.repeat(50) + '\n' + 'b'.repeat(100);
    expect(check(text, 100)).toEqual(['a'.repeat(50) + '\n' + 'b'.repeat(49), 'b'.repeat(51)]);
  });

  it('uses the last newline in the window and keeps \\r\\n together', () => {
    const text = 'a'.repeat(82) + '\r\n' + 'b'.repeat(5) + '\r\n' + 'c'.repeat(50);
    expect(check(text, 100)).toEqual(['a'.repeat(82) + '\r\n' + 'b'.repeat(5) + '\r\n', 'c'.repeat(50)]);
  });

  it('does not break at a newline when the rest fits', () => {
    expect(splitUtf8ByBytes('ab\ncd', 100)).toEqual(['ab\ncd']);
  });

  it('markdown-like text with CJK and newlines at the WeCom 4096-byte limit', () => {
    const line = '| 项目 | 投资额 | 状态 |\n';
    const text = line.repeat(400);
    const chunks = check(text, 4096);
    expect(chunks.length).toBeGreaterThan(1);
    // every chunk but the last ends on a line boundary (lines are far shorter than 20%)
    for (const c of chunks.slice(0, -1)) expect(c.endsWith('\n')).toBe(true);
  });

  it('random inputs keep every invariant', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const alphabet = ['a', 'Z', ' ', '\n', 'é', '你', '😀', '🇨🇳', '\uD800', '\uDC00', '\r\n'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const len = Math.floor(rnd() * 200);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      const max = 4 + Math.floor(rnd() * 60);
      check(text, max);
    }
  });

  it.each([[0], [3], [-1], [4.5], [Number.NaN]])('rejects maxBytes %p', (max) => {
    expect(() => splitUtf8ByBytes('abc', max)).toThrow(RangeError);
  });
});

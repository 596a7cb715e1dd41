/**
 * Plain text (an official's company name, a note) made inert for every markdown dialect we send:
 * WeCom markdown and markdown_v2, the AI bot's markdown and stream content, DingTalk markdown.
 *
 * Those dialects differ in what they honour (WeCom's legacy markdown has no backslash escapes),
 * so the characters that build links, images, HTML, `<@userid>` / `<@all>` mentions, code and
 * block quotes are replaced by their full-width forms, which read the same to a person and
 * mean nothing to a renderer. `**` is left alone: it is the one markup producers may use, and
 * on its own it can only make text bold. A URL's `://` gets a full-width colon, so a bare link
 * in someone's text is not turned into a clickable one.
 */
const REPLACEMENTS: Record<string, string> = {
  '<': '＜',
  '>': '＞',
  '[': '［',
  ']': '］',
  '`': '｀',
  '!': '！',
  '|': '｜',
};

export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[<>[\]`!|]/g, (c) => REPLACEMENTS[c])
    .replace(/([A-Za-z][A-Za-z0-9+.-]*):\/\//g, '$1：//')
    .replace(/^(\s*)#/gm, '$1＃');
}

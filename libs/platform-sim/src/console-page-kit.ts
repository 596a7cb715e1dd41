// Pieces the WeCom and DingTalk chat consoles share: injecting the boot data, the CSS of the message
// panes, tags, hints and status bar, and the client script's helpers and start-up. Each page keeps
// its own look (colours, radii, layout), its own member and message rendering, and its own text.
// Like the pages, the script pieces avoid template literals so that they can live in String.raw.

/**
 * A console page: the document around the page's own title, CSS, markup and script. The script
 * runs in strict mode inside a function, with BOOT (see injectBoot) and JS_HELPERS; JS_START
 * follows it. Pass the result to injectBoot.
 */
export function consolePage(p: { title: string; css: string; body: string; script: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
<style>
${p.css}
</style>
</head>
<body>
${p.body}
<div id="statusbar">连接中…</div>
<script>
(function () {
  'use strict';
  var BOOT = __BOOT__;
${JS_HELPERS}
${p.script}
${JS_START}
})();
</script>
</body>
</html>
`;
}

/** The page with `__BOOT__` replaced by `boot` as JSON that is safe inside <script>. */
export function injectBoot(page: string, boot: Record<string, unknown>): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return page.replace('__BOOT__', () => json);
}

/** Pane header text, the message list and its rows (members' messages on the right), the meta line. */
export const CSS_MESSAGE_PANE = String.raw`.pane header .title{font-size:16px;font-weight:600}
.pane header .sub{font-size:12px;color:#8f959e;margin-top:2px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.msgs{flex:1;overflow-y:auto;padding:12px 16px}
.row{display:flex;gap:10px;margin:12px 0;align-items:flex-start}
.row.me{flex-direction:row-reverse}
.col{max-width:78%;display:flex;flex-direction:column}
.row.me .col{align-items:flex-end}
.meta{font-size:12px;color:#8f959e;margin-bottom:4px}`;

/** Markdown inside a bubble: headings, quotes, blank lines. */
export const CSS_MARKDOWN = String.raw`.bubble .h{font-weight:700;margin:2px 0}
.bubble .h1{font-size:18px}.bubble .h2{font-size:16px}.bubble .h3{font-size:15px}
.bubble .q{border-left:3px solid #dcdfe4;padding-left:8px;color:#646a73}
.bubble .br{height:6px}`;

/** Status tags under a message. */
export const CSS_TAGS = String.raw`.tags{margin-top:4px;display:flex;flex-wrap:wrap;gap:4px}
.tag{font-size:11px;border-radius:3px;padding:1px 6px;background:#fff3e8;color:#d46b08;border:1px solid #ffd8b5}
.tag.red{background:#fff0f0;color:#d9363e;border-color:#ffccc7}
.tag.gray{background:#f2f3f5;color:#646a73;border-color:#dcdfe4}
.tag.green{background:#eefaf2;color:#1c8b45;border-color:#b7ebc6}`;

/** The example line under the composer. */
export const CSS_HINT = String.raw`.hint{margin-top:6px;font-size:12px;color:#8f959e;line-height:1.6}
.hint .ex{color:#646a73;background:#f7f8fa;border-radius:3px;padding:1px 4px}
.hint button{font-size:12px;padding:1px 8px;margin-left:4px}`;

/**
 * The status bar is the last line of the page, not a layer over it: fixed over the corner it covered
 * the group pane's 发送 button and the panes' footers.
 */
export const CSS_STATUSBAR = String.raw`body{display:flex;flex-direction:column;height:100vh}
#app{flex:1;min-height:0;height:auto}
#statusbar{flex:none;font-size:12px;color:#8f959e;background:#fff;border-top:1px solid #e5e6eb;padding:3px 12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#statusbar.bad{color:#d9363e}`;

/** Accounts seen in messages but not in the address book, listed under the members. */
export const CSS_STRANGERS = String.raw`.unit.stranger{color:#d46b08}`;

/**
 * Client helpers: element lookup, HTML escaping, times, avatar colours (from the page's COLORS),
 * avatars, the status bar, tags, localStorage (unread counts survive a reload), and repainting a
 * message list that keeps to the bottom.
 */
export const JS_HELPERS = String.raw`  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function pad(n) { return n < 10 ? '0' + n : '' + n; }
  function hhmm(ms) { var d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  function color(s) { var h = 0; for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0; return COLORS[h % COLORS.length]; }
  function avatar(label, key, fixed) { return '<div class="av" style="background:' + (fixed || color(key)) + '">' + esc(label) + '</div>'; }
  function status(text, bad) { var el = $('statusbar'); el.textContent = text; el.className = bad ? 'bad' : ''; }
  function tag(text, cls) { return '<span class="tag ' + (cls || '') + '">' + esc(text) + '</span>'; }
  function loadStore(key, fallback) { try { var v = localStorage.getItem(key); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; } }
  function saveStore(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }
  function paint(el, html, force) {
    var nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    el.innerHTML = html;
    if (nearBottom || force) el.scrollTop = el.scrollHeight;
  }`;

/**
 * Start-up: the member search, picking a member (a click on a .mem row with data-id, or an
 * account typed into #manualId), then loading members every 15 s and polling messages every
 * 0.7 s. The page defines renderMembers(), select(id), loadMembers() and poll().
 */
export const JS_START = String.raw`  $('search').addEventListener('input', renderMembers);
  $('members').addEventListener('click', function (e) {
    var el = e.target.closest ? e.target.closest('.mem') : null;
    if (el) select(el.getAttribute('data-id'));
  });
  $('manualBtn').onclick = function () { var v = $('manualId').value.trim(); if (v) { select(v); $('manualId').value = ''; } };
  $('manualId').addEventListener('keydown', function (e) { if (e.key === 'Enter') $('manualBtn').onclick(); });

  loadMembers();
  setInterval(loadMembers, 15000);
  poll();
  setInterval(poll, 700);`;

// The local chat console in DingTalk mode: one self-contained HTML page (inline CSS and JS,
// no CDN) that looks like the DingTalk desktop client and talks only to the DingTalk
// simulator's /console/api/*. Members are picked by their DingTalk staffId; each message
// goes to the product through HTTP mode or Stream mode, as the user chooses among the
// modes that are live. Page text is Simplified Chinese; the client script avoids template
// literals so that it can live inside String.raw below.
import { CONSOLE_EXAMPLE_LEAD } from './wecom-console-page';
import { CSS_HINT, CSS_MARKDOWN, CSS_MESSAGE_PANE, CSS_STATUSBAR, CSS_STRANGERS, CSS_TAGS, consolePage, injectBoot } from './console-page-kit';

export interface DingtalkConsolePageInfo {
  robotName: string;
  robotCode: string;
  /** Link to the WeCom console, shown as the other tab. */
  wecomConsoleUrl?: string;
}

export function renderDingtalkConsolePage(info: DingtalkConsolePageInfo): string {
  return injectBoot(PAGE, {
    robotName: info.robotName,
    robotCode: info.robotCode,
    wecomConsoleUrl: info.wecomConsoleUrl ?? '',
    example: CONSOLE_EXAMPLE_LEAD,
  });
}

const PAGE = consolePage({
  title: '招商助手 · 钉钉模拟控制台',
  css: String.raw`*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-size:14px;color:#171a1d;background:#f2f3f5}
#app{display:flex;flex-direction:column;height:100vh}
#top{height:44px;background:#0089ff;color:#fff;display:flex;align-items:center;padding:0 14px;gap:16px}
#top .brand{font-weight:700;font-size:15px}
#top .tabs{display:flex;gap:4px}
#top .tab{color:#fff;text-decoration:none;padding:4px 12px;border-radius:14px;opacity:.8}
#top .tab.on{background:rgba(255,255,255,.25);opacity:1;font-weight:600}
#top .tab.off{opacity:.45;cursor:default}
#top .modes{margin-left:auto;display:flex;gap:10px;align-items:center;font-size:13px}
#top .modes label{display:flex;gap:4px;align-items:center;cursor:pointer}
#top .modes label.dis{opacity:.5;cursor:default}
#top .modes label{padding:2px 10px;border-radius:12px;border:1px solid transparent}
#top .modes label.on{background:#fff;color:#0070d9;font-weight:600;border-color:#fff}
#top .modes input{accent-color:#fff}
#body{flex:1;display:flex;min-height:0}
#side{width:270px;background:#fff;border-right:1px solid #e5e6eb;display:flex;flex-direction:column}
#side .head{padding:12px 12px 8px}
#side .head .t{font-weight:600;margin-bottom:8px}
#search{width:100%;padding:6px 10px;border:1px solid #dcdfe4;border-radius:6px;outline:none}
#search:focus{border-color:#0089ff}
#members{flex:1;overflow-y:auto}
.unit{padding:8px 12px 4px;color:#8f959e;font-size:12px;position:sticky;top:0;background:#fff}
.mem{display:flex;align-items:center;padding:8px 12px;cursor:pointer;gap:10px}
.mem:hover{background:#f2f3f5}
.mem.sel{background:#e6f3ff}
.av{width:34px;height:34px;border-radius:50%;color:#fff;display:flex;align-items:center;justify-content:center;flex:none;font-size:13px}
.mem .txt{flex:1;min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.mem .uid{font-size:12px;color:#8f959e}
.badge{background:#ff5219;color:#fff;border-radius:9px;font-size:11px;padding:0 6px;line-height:17px}
.empty{padding:16px 12px;color:#8f959e;font-size:13px;line-height:1.6}
.manual{padding:10px 12px;border-top:1px solid #e5e6eb;display:flex;gap:6px}
.manual input{flex:1;min-width:0;padding:5px 8px;border:1px solid #dcdfe4;border-radius:6px}
button{font:inherit;cursor:pointer;border:1px solid #dcdfe4;background:#fff;border-radius:6px;padding:5px 10px}
button.pri{background:#0089ff;border-color:#0089ff;color:#fff}
button.pri:disabled{background:#8cc8ff;border-color:#8cc8ff;cursor:default}
main{flex:1;display:flex;min-width:0}
.pane{flex:1;display:flex;flex-direction:column;min-width:0;border-right:1px solid #e5e6eb;background:#f2f3f5}
.pane header{padding:10px 16px;background:#fff;border-bottom:1px solid #e5e6eb}
${CSS_MESSAGE_PANE}
.bubble{background:#fff;border-radius:8px;padding:8px 12px;line-height:1.6;word-break:break-word}
.row.me .bubble{background:#d6ebff}
.bubble .mdtitle{font-size:12px;color:#8f959e;border-bottom:1px solid #eee;margin-bottom:4px}
${CSS_MARKDOWN}
.bubble pre{white-space:pre-wrap;margin:0;font-size:12px}
.at{color:#0089ff}
${CSS_TAGS}
.tag.blue{background:#e6f3ff;color:#0070d9;border-color:#b3dbff}
.composer{background:#fff;border-top:1px solid #e5e6eb;padding:8px 12px}
.composer .line{display:flex;gap:8px;align-items:flex-end}
.composer textarea{flex:1;height:64px;resize:vertical;border:1px solid #dcdfe4;border-radius:6px;padding:6px 8px;font:inherit;outline:none}
.composer textarea:focus{border-color:#0089ff}
${CSS_HINT}
${CSS_STATUSBAR}
${CSS_STRANGERS}
@media (max-width:1000px){main{flex-direction:column}.pane{border-right:none;border-bottom:1px solid #e5e6eb}}`,
  body: String.raw`<div id="app">
  <div id="top">
    <div class="brand">招商助手 · 本地模拟</div>
    <div class="tabs"><a class="tab" id="tabWecom">企业微信</a><a class="tab on">钉钉</a></div>
    <div class="modes">接入方式：
      <label id="lblHttp"><input type="radio" name="mode" value="http" id="modeHttp">HTTP 回调</label>
      <label id="lblStream"><input type="radio" name="mode" value="stream" id="modeStream">Stream 长连接</label>
    </div>
  </div>
  <div id="body">
    <aside id="side">
      <div class="head">
        <div class="t">通讯录（钉钉 staffId）</div>
        <input id="search" placeholder="搜索姓名、单位或 staffId" autocomplete="off">
      </div>
      <div id="members"><div class="empty">正在加载成员…</div></div>
      <div class="manual">
        <input id="manualId" placeholder="手动输入 staffId" autocomplete="off">
        <button id="manualBtn">切换</button>
      </div>
    </aside>
    <main>
      <section class="pane">
        <header><div class="title" id="dmTitle">招商助手</div><div class="sub" id="dmWho">请先在左侧选择成员</div></header>
        <div class="msgs" id="dmMsgs"></div>
        <div class="composer">
          <div class="line"><textarea id="dmInput" placeholder="以所选成员的身份单聊机器人（Enter 发送，Shift+Enter 换行）"></textarea><button class="pri" id="dmSend">发送</button></div>
          <div class="hint">试试发送：<span class="ex" id="example"></span><button id="fillBtn">填入示例</button></div>
        </div>
      </section>
      <section class="pane">
        <header><div class="title" id="groupTitle">招商工作群</div><div class="sub" id="groupSub">群内 @机器人 的消息、机器人的群消息与自定义机器人通知</div></header>
        <div class="msgs" id="groupMsgs"></div>
        <div class="composer">
          <div class="line"><textarea id="groupInput" placeholder="以所选成员的身份在群里 @招商助手（Enter 发送）"></textarea><button class="pri" id="groupSend">发送</button></div>
        </div>
      </section>
    </main>
  </div>
</div>`,
  script: String.raw`  var COLORS = ['#0089ff', '#00b39e', '#ff9200', '#7b61ff', '#f5524a', '#3ba272', '#5470c6', '#d4579b'];
  var S = { members: [], selected: '', last: 0, items: [], inStatus: {}, unread: {}, info: null, mode: '', polling: false, group: '' };
  try { S.selected = localStorage.getItem('zs.sim.dingtalk.staff') || ''; S.mode = localStorage.getItem('zs.sim.dingtalk.mode') || ''; } catch (e) { /* private mode */ }
  // Unread counts and the last message already counted survive a reload (else every old reply is "new").
  S.unread = loadStore('zs.sim.dingtalk.unread', {}) || {};
  S.seen = Number(loadStore('zs.sim.dingtalk.seen', 0)) || 0;

  function member(id) { for (var i = 0; i < S.members.length; i++) if (S.members[i].staffId === id) return S.members[i]; return null; }
  function nameOf(id) { var m = member(id); return m ? m.name : id; }
  function memberByMobile(mobile) { for (var i = 0; i < S.members.length; i++) if (S.members[i].mobile === mobile) return S.members[i]; return null; }

  // DingTalk markdown: headings, bold, italics, links, quotes, lists, @mobile / @userId.
  function inline(s) {
    s = s.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
    s = s.replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
    s = s.replace(/@(1\d{10})/g, function (m, mob) { var x = memberByMobile(mob); return '<span class="at">@' + esc(x ? x.name : mob) + '</span>'; });
    return s;
  }
  function md(src) {
    return esc(src).split('\n').map(function (line) {
      var m;
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) return '<div class="h h' + m[1].length + '">' + inline(m[2]) + '</div>';
      if ((m = /^&gt;\s?(.*)$/.exec(line))) return '<div class="q">' + inline(m[1]) + '</div>';
      if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) return '<div>• ' + inline(m[1]) + '</div>';
      if ((m = /^\s*(\d+)\.\s+(.*)$/.exec(line))) return '<div>' + m[1] + '. ' + inline(m[2]) + '</div>';
      if (!line.trim()) return '<div class="br"></div>';
      return '<div>' + inline(line) + '</div>';
    }).join('');
  }
  function plain(src) { return inline(esc(src)).replace(/\n/g, '<br>'); }
  function body(it) {
    if (it.msgtype === 'markdown') return (it.title ? '<div class="mdtitle">' + esc(it.title) + '</div>' : '') + md(it.content);
    if (it.msgtype === 'text') return plain(it.content);
    var pretty = it.content;
    try { pretty = JSON.stringify(JSON.parse(it.content), null, 2); } catch (e) { /* keep */ }
    return '<div class="meta">[' + esc(it.msgtype) + ']</div><pre>' + esc(pretty) + '</pre>';
  }
  var VIA = { session: 'sessionWebhook 回复', passive: '被动回复', group: 'OpenAPI 群消息', oto: 'OpenAPI 单聊消息', custom: '自定义机器人' };

  // ── members ──
  function loadMembers() {
    fetch('/console/api/members').then(function (r) { return r.json(); }).then(function (list) {
      S.members = Array.isArray(list) ? list : [];
      if (!S.selected && S.members.length) select(S.members[0].staffId); else { renderMembers(); renderAll(true); }
    }).catch(function () { renderMembers(); });
  }
  function renderMembers() {
    var q = $('search').value.trim().toLowerCase(), groups = {}, order = [], html = '';
    S.members.forEach(function (m) {
      var hay = (m.name + ' ' + m.staffId + ' ' + (m.unitName || '')).toLowerCase();
      if (q && hay.indexOf(q) < 0) return;
      var u = m.unitName || '未分组';
      if (!groups[u]) { groups[u] = []; order.push(u); }
      groups[u].push(m);
    });
    order.forEach(function (u) {
      html += '<div class="unit">' + esc(u) + '（' + groups[u].length + '）</div>';
      groups[u].forEach(function (m) {
        var n = S.unread[m.staffId] || 0;
        html += '<div class="mem' + (m.staffId === S.selected ? ' sel' : '') + '" data-id="' + esc(m.staffId) + '">' + avatar(m.name.slice(-2), m.staffId) +
          '<div class="txt"><div>' + esc(m.name) + '</div><div class="uid">' + esc(m.staffId) + '</div></div>' + (n ? '<span class="badge">' + n + '</span>' : '') + '</div>';
      });
    });
    var others = strangers().filter(function (id) { return !q || id.toLowerCase().indexOf(q) >= 0; });
    if (others.length) {
      html += '<div class="unit stranger">通讯录以外的账号（' + others.length + '）</div>';
      others.forEach(function (id) {
        var n = S.unread[id] || 0;
        html += '<div class="mem' + (id === S.selected ? ' sel' : '') + '" data-id="' + esc(id) + '">' + avatar('?', id) +
          '<div class="txt"><div>' + esc(id) + '</div><div class="uid">不在通讯录中</div></div>' + (n ? '<span class="badge">' + n + '</span>' : '') + '</div>';
      });
    }
    if (!html) html = S.members.length ? '<div class="empty">没有匹配的成员</div>' : '<div class="empty">暂无成员：管理接口可能尚未就绪，稍后会自动刷新。<br>也可以在下方手动输入 staffId。</div>';
    $('members').innerHTML = html;
  }
  /** Accounts that sent or were sent messages but are not in the address book: shown so their messages can be read. */
  function strangers() {
    var seen = {}, out = [];
    S.items.forEach(function (it) {
      var ids = it.dir === 'in' ? (it.conversationType === '1' ? [it.staffId] : []) : (it.userIds || []);
      ids.forEach(function (id) { if (id && !seen[id] && !member(id)) { seen[id] = 1; out.push(id); } });
    });
    return out;
  }
  function select(id) {
    S.selected = id; S.unread[id] = 0; saveStore('zs.sim.dingtalk.unread', S.unread);
    try { localStorage.setItem('zs.sim.dingtalk.staff', id); } catch (e) { /* ignore */ }
    renderMembers(); renderAll(true);
  }

  // ── modes ──
  function applyModes() {
    var modes = (S.info && S.info.modes) || { http: false, stream: false };
    if (!modes[S.mode]) S.mode = modes.stream ? 'stream' : modes.http ? 'http' : '';
    // The chosen mode is a white pill on the blue bar: a bare radio button there was nearly invisible.
    $('lblHttp').className = !modes.http ? 'dis' : S.mode === 'http' ? 'on' : ''; $('modeHttp').disabled = !modes.http;
    $('lblStream').className = !modes.stream ? 'dis' : S.mode === 'stream' ? 'on' : ''; $('modeStream').disabled = !modes.stream;
    $('modeHttp').checked = S.mode === 'http'; $('modeStream').checked = S.mode === 'stream';
    var groups = (S.info && S.info.groups) || [];
    if (!S.group && groups.length) S.group = groups[0].openConversationId;
    for (var i = 0; i < groups.length; i++) if (groups[i].openConversationId === S.group) $('groupTitle').textContent = groups[i].title;
    var robots = ((S.info && S.info.customRobots) || []).map(function (r) { return r.name + (r.signed ? '（加签）' : ''); });
    $('groupSub').textContent = '群内 @机器人 的消息、机器人群消息' + (robots.length ? '；自定义机器人：' + robots.join('、') : '');
  }
  function onMode(e) { S.mode = e.target.value; try { localStorage.setItem('zs.sim.dingtalk.mode', S.mode); } catch (x) { /* ignore */ } applyModes(); }

  // ── messages ──
  function isDm(it) {
    if (it.dir === 'in') return it.conversationType === '1' && it.staffId === S.selected;
    if (it.via === 'oto') return (it.userIds || []).indexOf(S.selected) >= 0;
    return (it.via === 'session' || it.via === 'passive') && it.conversationType === '1' && (it.userIds || []).indexOf(S.selected) >= 0;
  }
  function isGroup(it) {
    if (it.dir === 'in') return it.conversationType === '2';
    return it.via === 'custom' || it.conversationType === '2';
  }
  function inTags(it) {
    var st = S.inStatus[it.seq] || it, t = tag(it.mode === 'stream' ? 'Stream' : 'HTTP', 'blue');
    if (st.status === 'pending') return t + tag('投递中…（第 ' + Math.max(1, st.attempts) + ' 次）', 'gray');
    if (st.status === 'failed') return t + tag('投递失败：' + st.attempts + ' 次均未确认' + (st.lastError ? '（' + st.lastError + '）' : ''), 'red');
    var ms = st.ackMs && st.ackMs.length ? st.ackMs[st.ackMs.length - 1] : null;
    t += tag((it.mode === 'stream' ? '已 ACK' : '已送达') + (ms !== null ? ' · ' + ms + ' ms' : ''), 'green');
    if (st.lostAcks) t += tag('ACK 丢失 ' + st.lostAcks + ' 次，钉钉已重推');
    if (st.attempts > 1) t += tag('钉钉重试了 ' + (st.attempts - 1) + ' 次（同一 msgId）');
    return t;
  }
  function rowHtml(it) {
    if (it.dir === 'in') {
      var m = member(it.staffId);
      return '<div class="row me">' + avatar((m ? m.name : it.staffId).slice(-2), it.staffId) + '<div class="col"><div class="meta">' + esc(m ? m.name : it.staffId) + ' ' + hhmm(it.at) + '</div>' +
        '<div class="bubble">' + (it.conversationType === '2' ? '<span class="at">@' + esc(BOOT.robotName) + '</span> ' : '') + plain(it.content) + '</div><div class="tags">' + inTags(it) + '</div></div></div>';
    }
    var who = it.via === 'custom' ? '自定义机器人 · ' + esc(it.customRobot || '') : esc(BOOT.robotName);
    var mention = (it.atUserIds || []).map(function (u) { return '@' + esc(nameOf(u)); }).concat(it.isAtAll ? ['@所有人'] : []).join(' ');
    return '<div class="row">' + avatar(it.via === 'custom' ? '机' : '招', '', it.via === 'custom' ? '#00b39e' : '#0089ff') +
      '<div class="col"><div class="meta">' + who + ' ' + hhmm(it.at) + '</div><div class="bubble">' + body(it) + (mention ? '<div class="at">' + mention + '</div>' : '') + '</div>' +
      '<div class="tags">' + tag(VIA[it.via] || it.via, 'gray') + (it.invalidStaffIds && it.invalidStaffIds.length ? tag('无效 staffId：' + it.invalidStaffIds.join('、'), 'red') : '') + '</div></div></div>';
  }
  function renderAll(force) {
    var m = member(S.selected);
    $('dmWho').textContent = S.selected ? '当前身份：' + (m ? m.name + '（' + (m.unitName || '') + '，' + m.staffId + '）' : S.selected) : '请先在左侧选择成员';
    var dm = S.items.filter(isDm).slice(-400).map(rowHtml).join('');
    paint($('dmMsgs'), dm || '<div class="empty">还没有消息。' + (S.selected ? '在下方输入内容发给「' + esc(BOOT.robotName) + '」。' : '') + '</div>', force);
    var gr = S.items.filter(isGroup).slice(-400).map(rowHtml).join('');
    paint($('groupMsgs'), gr || '<div class="empty">群里还没有消息。</div>', force);
  }
  function poll() {
    if (S.polling) return;
    S.polling = true;
    fetch('/console/api/messages?since=' + S.last).then(function (r) { return r.json(); }).then(function (res) {
      if (typeof res.seq === 'number' && res.seq < S.last) { S.items = []; S.last = 0; S.inStatus = {}; return; }
      // The simulator restarted while the page was closed: what was counted before means nothing now.
      if (typeof res.seq === 'number' && res.seq < S.seen) { S.seen = 0; S.unread = {}; }
      S.info = res.info; applyModes();
      var changed = false;
      (res.inboundStatus || []).forEach(function (st) {
        var prev = S.inStatus[st.seq];
        if (prev && prev.status === st.status && prev.attempts === st.attempts && prev.lostAcks === st.lostAcks) return;
        S.inStatus[st.seq] = st; changed = true;
      });
      (res.items || []).forEach(function (it) {
        S.items.push(it); changed = true;
        if (it.dir === 'out' && !isDm(it) && it.seq > S.seen) (it.userIds || []).forEach(function (u) { if (u !== S.selected) S.unread[u] = (S.unread[u] || 0) + 1; });
      });
      if (S.items.length > 5000) S.items = S.items.slice(-4000);
      S.last = res.last || S.last;
      if (S.last > S.seen) { S.seen = S.last; saveStore('zs.sim.dingtalk.seen', S.seen); saveStore('zs.sim.dingtalk.unread', S.unread); }
      if (changed) renderAll((res.items || []).length > 0);
      if ((res.items || []).length) renderMembers();
      var modes = [];
      if (res.info.modes.http) modes.push('HTTP 回调 ' + res.info.callbackUrl);
      if (res.info.modes.stream) modes.push('Stream 在线 ' + res.info.streamConnections.length + ' 条连接');
      status(modes.length ? '已连接钉钉模拟器 · ' + modes.join(' · ') : '网关尚未接入：没有 HTTP 回调地址，也没有 Stream 连接', !modes.length);
    }).catch(function () { status('与模拟器的连接中断，正在重试…', true); }).then(function () { S.polling = false; });
  }
  function send(inputId, group) {
    var input = $(inputId), text = input.value;
    if (!text.trim()) return;
    if (!S.selected) { status('请先在左侧选择成员', true); return; }
    if (!S.mode) { status('没有可用的接入方式：请启动网关（HTTP 回调或 Stream）', true); return; }
    input.value = '';
    fetch('/console/api/send', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: S.selected, text: text, mode: S.mode, group: group ? S.group : '' }) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) { if (!x.ok) status('发送失败：' + (x.j && x.j.error ? x.j.error : '未知错误'), true); })
      .catch(function () { status('发送失败：无法连接模拟器', true); });
    setTimeout(poll, 80);
  }

  $('example').textContent = BOOT.example;
  $('fillBtn').onclick = function () { $('dmInput').value = BOOT.example; $('dmInput').focus(); };
  $('dmSend').onclick = function () { send('dmInput', false); };
  $('groupSend').onclick = function () { send('groupInput', true); };
  ['dmInput', 'groupInput'].forEach(function (id) {
    $(id).addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(id, id === 'groupInput'); } });
  });
  $('modeHttp').onchange = onMode; $('modeStream').onchange = onMode;
  if (BOOT.wecomConsoleUrl) $('tabWecom').href = BOOT.wecomConsoleUrl; else { $('tabWecom').className = 'tab off'; $('tabWecom').title = '未配置企业微信控制台地址'; }
  document.title = '招商助手 · 钉钉模拟控制台（' + BOOT.robotCode + '）';`,
});

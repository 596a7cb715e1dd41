// The local chat console: one self-contained HTML page (inline CSS and JS, no CDN, works offline)
// that looks like the WeCom desktop client. It talks only to the simulator's /console/api/*.
// The page text is Simplified Chinese; the client script avoids template literals so that it can
// live inside String.raw below.
import { CSS_HINT, CSS_MARKDOWN, CSS_MESSAGE_PANE, CSS_STATUSBAR, CSS_STRANGERS, CSS_TAGS, consolePage, injectBoot } from './console-page-kit';

export const CONSOLE_EXAMPLE_LEAD =
  '报线索 企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地';

export function renderWecomConsolePage(info: { corpId: string; agentId: string; dingtalkConsoleUrl?: string }): string {
  // The DingTalk console (its own simulator, its own port) is the console's other mode.
  const dingtalkConsoleUrl = info.dingtalkConsoleUrl ?? process.env.SIM_DINGTALK_CONSOLE_URL ?? '';
  return injectBoot(PAGE, { corpId: info.corpId, agentId: info.agentId, example: CONSOLE_EXAMPLE_LEAD, dingtalkConsoleUrl });
}

const PAGE = consolePage({
  title: '招商助手 · 企业微信模拟控制台',
  css: String.raw`*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-size:14px;color:#1f2329;background:#eef0f3}
#app{display:flex;height:100vh}
#nav{width:56px;background:#2b3245;display:flex;flex-direction:column;align-items:center;padding-top:14px;gap:14px}
#nav .logo{width:34px;height:34px;border-radius:8px;background:#2f7cf6;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700}
#nav .ico{width:26px;height:26px;border-radius:6px;background:#3d465c}
#nav .mode{width:34px;height:34px;border-radius:8px;background:#0089ff;color:#fff;display:none;align-items:center;justify-content:center;font-weight:700;text-decoration:none;font-size:13px}
#side{width:270px;background:#f7f8fa;border-right:1px solid #e1e4e8;display:flex;flex-direction:column}
#side .top{padding:12px 12px 8px}
#side .top .t{font-weight:600;margin-bottom:8px}
#search{width:100%;padding:6px 10px;border:1px solid #dcdfe4;border-radius:4px;background:#fff;outline:none}
#search:focus{border-color:#2f7cf6}
#members{flex:1;overflow-y:auto}
.unit{padding:8px 12px 4px;color:#8f959e;font-size:12px;position:sticky;top:0;background:#f7f8fa}
.mem{display:flex;align-items:center;padding:8px 12px;cursor:pointer;gap:10px}
.mem:hover{background:#eceef2}
.mem.sel{background:#dfe9fb}
.av{width:34px;height:34px;border-radius:6px;color:#fff;display:flex;align-items:center;justify-content:center;flex:none;font-size:14px}
.mem .nm{font-size:14px}
.mem .uid{font-size:12px;color:#8f959e}
.mem .txt{flex:1;min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.badge{background:#f54a45;color:#fff;border-radius:9px;font-size:11px;padding:0 6px;line-height:17px}
.empty{padding:16px 12px;color:#8f959e;font-size:13px;line-height:1.6}
.manual{padding:10px 12px;border-top:1px solid #e1e4e8;display:flex;gap:6px}
.manual input{flex:1;min-width:0;padding:5px 8px;border:1px solid #dcdfe4;border-radius:4px}
button{font:inherit;cursor:pointer;border:1px solid #dcdfe4;background:#fff;border-radius:4px;padding:5px 10px}
button.pri{background:#2f7cf6;border-color:#2f7cf6;color:#fff}
button.pri:disabled{background:#9bbdf9;border-color:#9bbdf9;cursor:default}
main{flex:1;display:flex;min-width:0}
.pane{flex:1;display:flex;flex-direction:column;min-width:0;background:#f5f6f7;border-right:1px solid #e1e4e8}
.pane header{height:56px;padding:8px 16px;background:#fff;border-bottom:1px solid #e1e4e8}
${CSS_MESSAGE_PANE}
.bubble{background:#fff;border-radius:6px;padding:8px 12px;line-height:1.6;word-break:break-word;white-space:normal;box-shadow:0 1px 1px rgba(0,0,0,.04)}
.row.me .bubble{background:#cce2ff}
.bubble.faded{opacity:.5;border:1px dashed #f54a45}
.bubble pre{white-space:pre-wrap;margin:0;font-size:12px}
${CSS_MARKDOWN}
.bubble code{background:#f2f3f5;padding:0 3px;border-radius:3px}
.bubble table{border-collapse:collapse;margin:4px 0}
.bubble td,.bubble th{border:1px solid #dcdfe4;padding:2px 6px}
.fc-info{color:#09a84a}.fc-comment{color:#8f959e}.fc-warning{color:#ff7d00}
.at{color:#2f7cf6}
${CSS_TAGS}
.composer{background:#fff;border-top:1px solid #e1e4e8;padding:8px 12px}
.composer .line{display:flex;gap:8px;align-items:flex-end}
#input{flex:1;height:72px;resize:vertical;border:1px solid #dcdfe4;border-radius:4px;padding:6px 8px;font:inherit;outline:none}
#input:focus{border-color:#2f7cf6}
${CSS_HINT}
.groupfoot{background:#fff;border-top:1px solid #e1e4e8;padding:12px;color:#8f959e;font-size:12px;text-align:center}
${CSS_STATUSBAR}
${CSS_STRANGERS}
@media (max-width:1000px){main{flex-direction:column}.pane{border-right:none;border-bottom:1px solid #e1e4e8}#nav{display:none}}`,
  body: String.raw`<div id="app">
  <div id="nav"><div class="logo" title="企业微信模式（当前）">企</div><a class="mode" id="dingtalkMode" title="切换到钉钉模式">钉</a><div class="ico"></div><div class="ico"></div><div class="ico"></div></div>
  <aside id="side">
    <div class="top">
      <div class="t">通讯录</div>
      <input id="search" placeholder="搜索姓名、单位或账号" autocomplete="off">
    </div>
    <div id="members"><div class="empty">正在加载成员…</div></div>
    <div class="manual">
      <input id="manualId" placeholder="手动输入成员账号" autocomplete="off">
      <button id="manualBtn">切换</button>
    </div>
  </aside>
  <main>
    <section class="pane" id="dmPane">
      <header>
        <div class="title">招商助手</div>
        <div class="sub" id="dmWho">请先在左侧选择成员</div>
      </header>
      <div class="msgs" id="dmMsgs"></div>
      <div class="composer">
        <div class="line">
          <textarea id="input" placeholder="以所选成员的身份给「招商助手」发消息（Enter 发送，Shift+Enter 换行）"></textarea>
          <button class="pri" id="sendBtn">发送</button>
        </div>
        <div class="hint">试试发送：<span class="ex" id="example"></span><button id="fillBtn">填入示例</button></div>
      </div>
    </section>
    <section class="pane" id="groupPane">
      <header>
        <div class="title">招商工作群</div>
        <div class="sub" id="groupSub">群机器人推送的通知</div>
      </header>
      <div class="msgs" id="groupMsgs"></div>
      <div class="groupfoot">本群消息由群机器人推送（Webhook），仅供查看</div>
    </section>
  </main>
</div>`,
  script: String.raw`  var COLORS = ['#2f7cf6', '#14a9a0', '#f5a623', '#7b61ff', '#e8684a', '#3ba272', '#5470c6', '#d4579b'];
  var S = {
    members: [], selected: '', last: 0, items: [], inStatus: {}, unread: {}, robots: [],
    polling: false, dmCount: -1, groupCount: -1
  };
  try { S.selected = localStorage.getItem('zs.sim.wecom.user') || ''; } catch (e) { /* private mode */ }
  // Unread counts and the last message already counted survive a reload (else every old reply is "new").
  S.unread = loadStore('zs.sim.wecom.unread', {}) || {};
  S.seen = Number(loadStore('zs.sim.wecom.seen', 0)) || 0;

  function member(uid) { for (var i = 0; i < S.members.length; i++) if (S.members[i].userid === uid) return S.members[i]; return null; }
  function nameOf(uid) { var m = member(uid); return m ? m.name : uid; }

  // Minimal WeCom markdown: headings, bold, links, quotes, lists, inline code, font colours, <@userid>, tables.
  function inline(s) {
    s = s.replace(/&lt;font\s+color=(?:&quot;|&#39;)?(info|comment|warning)(?:&quot;|&#39;)?&gt;([\s\S]*?)&lt;\/font&gt;/g,
      function (m, c, t) { return '<span class="fc-' + c + '">' + t + '</span>'; });
    s = s.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
    s = s.replace(/\x60([^\x60]+)\x60/g, '<code>$1</code>');
    s = s.replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
    s = s.replace(/&lt;@([^&\s]+?)&gt;/g, function (m, u) { return '<span class="at">@' + esc(nameOf(u)) + '</span>'; });
    return s;
  }
  function md(src) {
    var lines = esc(src).split('\n'), out = [], table = null;
    function flush() {
      if (!table) return;
      out.push('<table>' + table.map(function (r, i) {
        var tag = i === 0 ? 'th' : 'td';
        return '<tr>' + r.map(function (c) { return '<' + tag + '>' + inline(c.trim()) + '</' + tag + '>'; }).join('') + '</tr>';
      }).join('') + '</table>');
      table = null;
    }
    lines.forEach(function (line) {
      var m;
      if (/^\s*\|.*\|\s*$/.test(line)) {
        if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) return;
        table = table || [];
        table.push(line.trim().replace(/^\||\|$/g, '').split('|'));
        return;
      }
      flush();
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) out.push('<div class="h h' + m[1].length + '">' + inline(m[2]) + '</div>');
      else if ((m = /^&gt;\s?(.*)$/.exec(line))) out.push('<div class="q">' + inline(m[1]) + '</div>');
      else if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) out.push('<div>• ' + inline(m[1]) + '</div>');
      else if (!line.trim()) out.push('<div class="br"></div>');
      else out.push('<div>' + inline(line) + '</div>');
    });
    flush();
    return out.join('');
  }
  function plain(src) { return esc(src).replace(/\n/g, '<br>'); }
  function body(item) {
    if (item.msgtype === 'markdown' || item.msgtype === 'markdown_v2') return md(item.content);
    if (item.msgtype === 'text') return plain(item.content);
    var pretty = item.content;
    try { pretty = JSON.stringify(JSON.parse(item.content), null, 2); } catch (e) { /* keep */ }
    return '<div class="meta">[' + esc(item.msgtype) + ']</div><pre>' + esc(pretty) + '</pre>';
  }

  // ── members ──
  function loadMembers() {
    fetch('/console/api/members').then(function (r) { return r.json(); }).then(function (list) {
      S.members = Array.isArray(list) ? list : [];
      if (!S.selected && S.members.length) select(S.members[0].userid);
      else { renderMembers(); renderDm(true); }
    }).catch(function () { renderMembers(); });
  }
  function renderMembers() {
    var q = $('search').value.trim().toLowerCase();
    var groups = {}, order = [];
    S.members.forEach(function (m) {
      var hay = (m.name + ' ' + m.userid + ' ' + (m.unitName || '')).toLowerCase();
      if (q && hay.indexOf(q) < 0) return;
      var u = m.unitName || '未分组';
      if (!groups[u]) { groups[u] = []; order.push(u); }
      groups[u].push(m);
    });
    var html = '';
    order.forEach(function (u) {
      html += '<div class="unit">' + esc(u) + '（' + groups[u].length + '）</div>';
      groups[u].forEach(function (m) {
        var n = S.unread[m.userid] || 0;
        html += '<div class="mem' + (m.userid === S.selected ? ' sel' : '') + '" data-id="' + esc(m.userid) + '">' +
          avatar(m.name.slice(-2), m.userid) +
          '<div class="txt"><div class="nm">' + esc(m.name) + '</div><div class="uid">' + esc(m.userid) + '</div></div>' +
          (n ? '<span class="badge">' + n + '</span>' : '') + '</div>';
      });
    });
    var others = strangers().filter(function (id) { return !q || id.toLowerCase().indexOf(q) >= 0; });
    if (others.length) {
      html += '<div class="unit stranger">通讯录以外的账号（' + others.length + '）</div>';
      others.forEach(function (id) {
        var n = S.unread[id] || 0;
        html += '<div class="mem' + (id === S.selected ? ' sel' : '') + '" data-id="' + esc(id) + '">' + avatar('?', id) +
          '<div class="txt"><div class="nm">' + esc(id) + '</div><div class="uid">不在通讯录中</div></div>' +
          (n ? '<span class="badge">' + n + '</span>' : '') + '</div>';
      });
    }
    if (!html) {
      html = S.members.length
        ? '<div class="empty">没有匹配的成员</div>'
        : '<div class="empty">暂无成员：管理接口可能尚未就绪，稍后会自动刷新。<br>也可以在下方手动输入成员账号。</div>';
    }
    $('members').innerHTML = html;
  }
  /** Accounts that sent or were sent messages but are not in the address book: shown so their messages can be read. */
  function strangers() {
    var seen = {}, out = [];
    S.items.forEach(function (it) {
      var ids = it.dir === 'in' ? [it.fromUser] : it.kind === 'app' ? (it.touser || []) : [];
      ids.forEach(function (id) { if (id && id !== '@all' && !seen[id] && !member(id)) { seen[id] = 1; out.push(id); } });
    });
    return out;
  }
  function select(uid) {
    S.selected = uid;
    S.unread[uid] = 0;
    saveStore('zs.sim.wecom.unread', S.unread);
    try { localStorage.setItem('zs.sim.wecom.user', uid); } catch (e) { /* ignore */ }
    renderMembers();
    renderDm(true);
  }

  // ── messages ──
  function forSelected(it) {
    if (it.dir === 'in') return it.fromUser === S.selected;
    return it.kind === 'app' && (it.touser || []).some(function (u) { return u === S.selected || u === '@all'; });
  }
  function inTags(it) {
    var st = S.inStatus[it.seq] || it;
    if (st.status === 'pending') return tag('发送中…', 'gray');
    if (st.status === 'failed') {
      return tag('投递失败：' + st.attempts + ' 次尝试均未收到 HTTP 200' + (st.lastError ? '（' + st.lastError + '）' : ''), 'red');
    }
    var ms = st.ackMs && st.ackMs.length ? st.ackMs[st.ackMs.length - 1] : null;
    var t = tag('已送达' + (ms !== null ? ' · ' + ms + ' ms' : ''), 'green');
    if (st.attempts > 1) t += tag('企业微信重试了 ' + (st.attempts - 1) + ' 次（同一 MsgId）');
    return t;
  }
  function outTags(it) {
    var t = '';
    if (it.truncated) t += tag('已截断：原文 ' + it.originalBytes + ' 字节，企业微信只保留前 2048 字节');
    if (it.status === 'dropped') {
      t += tag(it.dropReason === 'member-per-hour'
        ? '未送达：超过每人每小时 1000 条，企业微信已静默丢弃'
        : '未送达：超过每人每分钟 30 条，企业微信已静默丢弃', 'red');
    }
    if (it.status === 'duplicate') t += tag('重复消息：企业微信已去重，未再次投递', 'gray');
    if (it.passive) t += tag('被动回复', 'gray');
    if (it.invaliduser && it.invaliduser.length) t += tag('无效成员：' + it.invaliduser.join('、'), 'gray');
    return t ? '<div class="tags">' + t + '</div>' : '';
  }
  function rowHtml(it) {
    if (it.dir === 'in') {
      var m = member(it.fromUser);
      return '<div class="row me">' + avatar((m ? m.name : it.fromUser).slice(-2), it.fromUser) +
        '<div class="col"><div class="meta">' + esc(m ? m.name : it.fromUser) + ' ' + hhmm(it.at) + '</div>' +
        '<div class="bubble">' + plain(it.content) + '</div><div class="tags">' + inTags(it) + '</div></div></div>';
    }
    var faded = it.status !== 'delivered' ? ' faded' : '';
    if (it.kind === 'group') {
      var mention = (it.msgtype === 'text' && it.mentioned && it.mentioned.length)
        ? '<div class="at">' + it.mentioned.map(function (u) { return u === '@all' ? '@所有人' : '@' + esc(nameOf(u)); }).join(' ') + '</div>' : '';
      return '<div class="row">' + avatar('机', '', '#14a9a0') +
        '<div class="col"><div class="meta">群机器人 · ' + esc(it.groupName || it.groupKey) + ' ' + hhmm(it.at) + '</div>' +
        '<div class="bubble' + faded + '">' + body(it) + mention + '</div>' + outTags(it) + '</div></div>';
    }
    return '<div class="row">' + avatar('招', '', '#2f7cf6') +
      '<div class="col"><div class="meta">招商助手 ' + hhmm(it.at) + '</div>' +
      '<div class="bubble' + faded + '">' + body(it) + '</div>' + outTags(it) + '</div></div>';
  }
  function renderDm(force) {
    var m = member(S.selected);
    $('dmWho').textContent = S.selected
      ? '当前身份：' + (m ? m.name + '（' + (m.unitName || '') + '，' + m.userid + '）' : S.selected)
      : '请先在左侧选择成员';
    var list = S.items.filter(forSelected).slice(-400);
    var html = list.map(rowHtml).join('');
    if (!html) html = '<div class="empty">还没有消息。' + (S.selected ? '在下方输入内容发给「招商助手」。' : '') + '</div>';
    paint($('dmMsgs'), html, force);
  }
  function renderGroup() {
    var list = S.items.filter(function (it) { return it.dir === 'out' && it.kind === 'group'; }).slice(-400);
    var html = list.map(rowHtml).join('') || '<div class="empty">群机器人还没有推送消息。</div>';
    paint($('groupMsgs'), html, false);
    var names = S.robots.map(function (r) { return r.groupName; }).join('、');
    $('groupSub').textContent = names ? '群机器人：' + names : '尚未登记群机器人';
  }

  function poll() {
    if (S.polling) return;
    S.polling = true;
    fetch('/console/api/messages?since=' + S.last).then(function (r) { return r.json(); }).then(function (res) {
      if (typeof res.seq === 'number' && res.seq < S.last) {
        // The simulator restarted: start over.
        S.items = []; S.last = 0; S.inStatus = {};
        return;
      }
      // The simulator restarted while the page was closed: what was counted before means nothing now.
      if (typeof res.seq === 'number' && res.seq < S.seen) { S.seen = 0; S.unread = {}; }
      S.robots = res.groupRobots || [];
      var dmChanged = false, groupChanged = false, statusChanged = false;
      (res.inboundStatus || []).forEach(function (st) {
        var prev = S.inStatus[st.seq];
        if (prev && prev.status === st.status && prev.attempts === st.attempts) return;
        if (prev && prev.status !== 'pending' && st.status === 'pending') return;
        S.inStatus[st.seq] = st;
        statusChanged = true;
      });
      (res.items || []).forEach(function (it) {
        S.items.push(it);
        if (it.dir === 'out' && it.kind === 'group') groupChanged = true;
        else if (forSelected(it)) dmChanged = true;
        else if (it.dir === 'out' && it.kind === 'app' && it.status === 'delivered' && it.seq > S.seen) {
          (it.touser || []).forEach(function (u) { if (u !== '@all') S.unread[u] = (S.unread[u] || 0) + 1; });
        }
      });
      if (S.items.length > 5000) S.items = S.items.slice(-4000);
      S.last = res.last || S.last;
      if (S.last > S.seen) { S.seen = S.last; saveStore('zs.sim.wecom.seen', S.seen); saveStore('zs.sim.wecom.unread', S.unread); }
      if (dmChanged) renderDm(true);
      else if (statusChanged) renderDm(false);
      if (groupChanged || S.groupCount < 0) { renderGroup(); S.groupCount = 1; }
      if ((res.items || []).length) renderMembers();
      status('已连接模拟器 · 回调地址 ' + (res.callbackUrl || '（未配置）'), !res.callbackUrl);
    }).catch(function () {
      status('与模拟器的连接中断，正在重试…', true);
    }).then(function () {
      S.polling = false;
    });
  }

  function send() {
    var input = $('input'), text = input.value;
    if (!text.trim()) return;
    if (!S.selected) { status('请先在左侧选择成员', true); return; }
    input.value = '';
    var btn = $('sendBtn');
    fetch('/console/api/send', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid: S.selected, text: text })
    }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); }).then(function (x) {
      if (!x.ok) { status('发送失败：' + (x.j && x.j.error ? x.j.error : '未知错误'), true); return; }
      S.inStatus[x.j.seq] = { seq: x.j.seq, status: x.j.acked ? 'acked' : 'failed', attempts: x.j.attempts, ackMs: x.j.ackMs, lastError: x.j.lastError };
      renderDm(false);
    }).catch(function () { status('发送失败：无法连接模拟器', true); });
    btn.disabled = true;
    setTimeout(function () { btn.disabled = false; }, 300);
    setTimeout(poll, 80);
  }

  $('example').textContent = BOOT.example;
  $('fillBtn').onclick = function () { $('input').value = BOOT.example; $('input').focus(); };
  $('sendBtn').onclick = send;
  $('input').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  document.title = '招商助手 · 企业微信模拟控制台（' + BOOT.corpId + ' / ' + BOOT.agentId + '）';
  if (BOOT.dingtalkConsoleUrl) { $('dingtalkMode').href = BOOT.dingtalkConsoleUrl; $('dingtalkMode').style.display = 'flex'; }`,
});

/**
 * Chat replies of the intake conversation and the project ledger, in Simplified Chinese.
 * Text from users is clipped before it is echoed; every reply fits one WeCom text message.
 * Names that differ by city (the coordinating office, stage labels) are passed in from the profile.
 */
import { clip, truncateUtf8, WECOM_TEXT_MAX_BYTES } from '../lead/text';

const NAME = 60;

export function one(text: string | null | undefined, maxChars = NAME): string {
  return clip(String(text ?? '').replace(/\s+/g, ' ').trim(), maxChars);
}

export function finish(lines: Array<string | null | undefined | false>): string {
  return truncateUtf8(lines.filter((l): l is string => typeof l === 'string' && l.length > 0).join('\n'), WECOM_TEXT_MAX_BYTES);
}

/*
 * Building an Intl.DateTimeFormat loads ICU data for the zone and locale: about 0.3 ms each, two
 * per answer, the largest single item of lead-intake's profile (docs/performance.md). One per zone,
 * built once; formatting with it is pure.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();
function cachedDateTimeFormat(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) {
    f = make();
    cache.set(timeZone, f);
  }
  return f;
}

/** "2026年11月29日" in the profile's timezone. */
export function formatDate(at: Date | number, timeZone: string): string {
  const parts = cachedDateTimeFormat(dateFormats, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}年${Number(get('month'))}月${Number(get('day'))}日`;
}

/** "10:32:05" in the profile's timezone. */
export function formatTime(at: Date | number, timeZone: string): string {
  return cachedDateTimeFormat(timeFormats, timeZone, () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })).format(new Date(at));
}

/** 万元 amounts as officials read them: 5亿元, 8000万元, 1.2亿元. */
export function formatWan(amountWan: number | null | undefined, currency: 'CNY' | 'USD' = 'CNY'): string {
  if (amountWan === null || amountWan === undefined || !Number.isFinite(amountWan)) return '未填';
  const unit = currency === 'USD' ? '美元' : '元';
  if (amountWan >= 10000) return `${trim(amountWan / 10000)}亿${unit}`;
  return `${trim(amountWan)}万${unit}`;
}

function trim(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}

/**
 * A receipt line that makes every answer distinct. WeCom drops a message identical to one sent
 * within its duplicate-check window; two people asking "我的线索" twice in a minute must both
 * get an answer. The line carries the inbound message's own serial and time, so a redelivery of
 * the same message still produces the same text (and is deduplicated as it should be).
 */
export function receiptLine(serial: string, at: Date | number, timeZone: string): string {
  return `（回执 ${serial} · ${formatTime(at, timeZone)}）`;
}

export const VALUES_EXAMPLE = '投资额3亿 行业新能源 联系人李总 13800002222 内容拟建电池生产线';

export interface ReportView {
  companyName: string | null;
  industry: string | null;
  amountDisplay: string | null;
  contact: string | null;
  content: string | null;
  creditCode: string | null;
}

function reportLines(r: ReportView): string[] {
  return [
    `企业名称：${one(r.companyName) || '未填'}`,
    `行业：${one(r.industry, 30) || '未填'}`,
    `投资额：${one(r.amountDisplay, 40) || '未填'}`,
    `联系人：${one(r.contact, 40) || '未填'}`,
    `项目内容：${one(r.content, 80) || '未填'}`,
    r.creditCode ? `统一社会信用代码：${one(r.creditCode, 20)}` : '',
  ];
}

function warningLines(warnings: string[], problems: string[]): string[] {
  const lines: string[] = [];
  if (warnings.length) lines.push('请核实：', ...warnings.slice(0, 5).map((w, i) => `${i + 1}. ${one(w, 100)}`));
  if (problems.length) lines.push('请重新填写：', ...problems.slice(0, 5).map((p, i) => `${i + 1}. ${one(p, 100)}`));
  return lines;
}

export function replyClaimed(p: {
  code: string;
  companyName: string;
  ownerUnitName: string;
  registeredAt: Date;
  timeZone: string;
  tierLabel: string | null;
  amountDisplay: string | null;
  missing: string[];
  warnings: string[];
  problems: string[];
  claimCompletionDays: number;
}): string {
  const head = p.missing.length === 0 ? '线索登记成功。' : '已按首谈首报为本单位登记该企业，请补充项目信息。';
  return finish([
    head,
    `线索编号：${one(p.code, 40)}`,
    `企业名称：${one(p.companyName)}`,
    p.amountDisplay ? `计划投资：${one(p.amountDisplay, 40)}` : '',
    p.tierLabel ? `项目等级：${one(p.tierLabel, 20)}` : '',
    `首谈首报单位：${one(p.ownerUnitName, 40)}（${formatDate(p.registeredAt, p.timeZone)}）`,
    ...warningLines(p.warnings, p.problems),
    p.missing.length
      ? `还缺：${p.missing.join('、')}。请直接回复这些内容，例如：${VALUES_EXAMPLE}。${p.claimCompletionDays}日内未补全，登记将失效；回复“取消”结束补充。`
      : `该企业已登记在${one(p.ownerUnitName, 40)}名下，请持续跟进，及时报送项目进展（如：签约 ${one(p.code, 40)} 5亿 2026-12-01）。`,
  ]);
}

export function replyCompletion(p: {
  code: string;
  companyName: string;
  tierLabel: string | null;
  amountDisplay: string | null;
  stillMissing: string[];
  warnings: string[];
  problems: string[];
}): string {
  return finish([
    p.stillMissing.length ? `已补充线索 ${one(p.code, 40)} 的信息。` : `线索 ${one(p.code, 40)} 信息已补全。`,
    `企业名称：${one(p.companyName)}`,
    p.amountDisplay ? `计划投资：${one(p.amountDisplay, 40)}` : '',
    p.tierLabel ? `项目等级：${one(p.tierLabel, 20)}` : '',
    ...warningLines(p.warnings, p.problems),
    p.stillMissing.length ? `还缺：${p.stillMissing.join('、')}，请直接回复；回复“取消”结束补充。` : '请持续跟进，及时报送项目进展。',
  ]);
}

export function replyReadBack(p: { view: ReportView; warnings: string[]; problems: string[] }): string {
  return finish([
    '我读到的线索如下，请核对：',
    ...reportLines(p.view),
    ...warningLines(p.warnings, p.problems),
    '无误请回复“确认”（按您发送原消息的时间登记首谈首报）；有误请改正后重新发送，或回复“取消”。',
  ]);
}

export function replyOwnedByOtherUnit(p: { companyName: string; ownerUnitName: string; registeredAt: Date; timeZone: string; office: string }): string {
  return finish([
    '该企业已有首谈首报登记，本次未予重复登记。',
    `企业名称：${one(p.companyName)}`,
    `首谈首报单位：${one(p.ownerUnitName, 40)}`,
    `登记日期：${formatDate(p.registeredAt, p.timeZone)}`,
    `为避免多头对接，请勿重复联系该企业。如认为登记有误，请联系${one(p.office, 20)}核实处理。`,
  ]);
}

export function replyOwnedBySameUnit(p: { code: string; companyName: string; registeredAt: Date; timeZone: string }): string {
  return finish([
    `该企业已由本单位登记，线索编号：${one(p.code, 40)}（${formatDate(p.registeredAt, p.timeZone)}）。`,
    `企业名称：${one(p.companyName)}`,
    `本次报送已记录。如需修改信息，请发送：更正 ${one(p.code, 40)} 投资额：3亿`,
  ]);
}

export function replyPossibleDuplicate(p: { companyName: string; similarName: string; ownerUnitName: string; registeredAt: Date; timeZone: string; office: string }): string {
  return finish([
    `“${one(p.companyName)}”与已登记企业名称相近：`,
    `已登记企业：${one(p.similarName)}`,
    `登记单位：${one(p.ownerUnitName, 40)}，登记日期：${formatDate(p.registeredAt, p.timeZone)}`,
    `如确为不同企业，请回复“确认新企业”；如是同一企业，请勿重复对接，回复“取消”。已告知${one(p.office, 20)}。`,
  ]);
}

export function replyNeedCompany(example: string): string {
  return finish(['请写明企业名称，其余信息可稍后补充。例如：', example, '发送“帮助”查看使用说明。']);
}

export function replyCancelled(had: boolean): string {
  return had ? '已取消，本次未完成的报送已结束。已登记的线索仍然有效，可发送“我的线索”查看。' : '当前没有需要取消的操作。';
}

export function replyNothingToConfirm(): string {
  return '当前没有待确认的线索。报送线索请以“报线索”开头，发送“帮助”查看使用说明。';
}

export function replyPendingNotUnderstood(p: { code: string; missing: string[] }): string {
  return finish([
    `未能从您的消息中读到线索 ${one(p.code, 40)} 还缺的内容（${p.missing.join('、')}）。`,
    `请直接回复，例如：${VALUES_EXAMPLE}；回复“取消”结束补充。`,
    '报送新线索请以“报线索”开头；发送“帮助”查看全部用法。',
  ]);
}

export function replyNeedsCode(command: string): string {
  return finish([`请在“${one(command, 10)}”后写明线索编号，例如：${one(command, 10)} YY-2026-000001`, '发送“我的线索”可查看本单位的线索编号。']);
}

export function replyLeadNotFound(code: string): string {
  return `未找到线索 ${one(code, 40)}，请核对编号。发送“我的线索”可查看本单位的线索。`;
}

export function replyNotOwner(code: string, office: string): string {
  return finish([`线索 ${one(code, 40)} 不属于本单位，无法办理。`, `如需跟进该项目，可发送“申请流转 ${one(code, 40)} 原因”，由${one(office, 20)}统筹。`]);
}

export function replyRefused(reason: string): string {
  return finish([`未能办理：${one(reason, 200)}`]);
}

export function replyStageRecorded(p: {
  code: string;
  companyName: string;
  stageLabel: string;
  date: number;
  timeZone: string;
  signedAmount: string | null;
  capitalDelta: string | null;
  capitalTotal: string | null;
}): string {
  return finish([
    p.capitalDelta ? `已登记线索 ${one(p.code, 40)} 到位资金 ${p.capitalDelta}。` : `线索 ${one(p.code, 40)} 已登记为“${one(p.stageLabel, 10)}”。`,
    `企业名称：${one(p.companyName)}`,
    `日期：${formatDate(p.date, p.timeZone)}`,
    p.signedAmount ? `签约金额：${p.signedAmount}` : '',
    p.capitalTotal ? `累计到位资金：${p.capitalTotal}` : '',
    '如有佐证材料（照片、文件），可紧接着发送，将附在本条记录下。',
  ]);
}

export interface LeadListItem {
  code: string;
  companyName: string;
  stageLabel: string;
  updatedAt: Date;
}

export function replyMyLeads(p: { unitName: string; items: LeadListItem[]; total: number; timeZone: string }): string {
  if (p.total === 0) return finish([`${one(p.unitName, 40)}暂无登记的线索。`, '报送线索请以“报线索”开头，发送“帮助”查看使用说明。']);
  return finish([
    `${one(p.unitName, 40)}共有线索 ${p.total} 条${p.total > p.items.length ? `，以下为最近更新的 ${p.items.length} 条` : ''}：`,
    ...p.items.map((i) => `${one(i.code, 20)} ${one(i.companyName, 24)} ｜${one(i.stageLabel, 6)}｜${formatDate(i.updatedAt, p.timeZone)}`),
    '发送“线索 编号”查看详情。',
  ]);
}

export function replyQuery(p: {
  companyName: string;
  found: { companyName: string; unitName: string; registeredAt: Date; exact: boolean }[];
  timeZone: string;
}): string {
  if (p.found.length === 0) return finish([`“${one(p.companyName)}”尚未登记，可以报送。`]);
  return finish([
    p.found[0].exact ? `“${one(p.companyName)}”已登记：` : `未找到“${one(p.companyName)}”，名称相近的已登记企业：`,
    ...p.found.map((f) => `${one(f.companyName)}：${one(f.unitName, 40)}，${formatDate(f.registeredAt, p.timeZone)}登记`),
  ]);
}

export interface LeadDetailView {
  code: string;
  companyName: string;
  industry: string | null;
  amountDisplay: string | null;
  tierLabel: string | null;
  stageLabel: string;
  ownerUnitName: string;
  firstContactUnitName: string;
  contact: string | null;
  content: string | null;
  registeredAt: Date;
  signedAmount: string | null;
  capitalTotal: string | null;
  history: { label: string; date: Date }[];
}

export function replyLeadDetail(d: LeadDetailView, timeZone: string): string {
  return finish([
    `线索 ${one(d.code, 40)}`,
    `企业名称：${one(d.companyName)}`,
    `行业：${one(d.industry, 30) || '未填'}`,
    `计划投资：${one(d.amountDisplay, 40) || '未填'}${d.tierLabel ? `（${one(d.tierLabel, 10)}）` : ''}`,
    `联系人：${one(d.contact, 40) || '未填'}`,
    `项目内容：${one(d.content, 120) || '未填'}`,
    `当前阶段：${one(d.stageLabel, 10)}`,
    d.signedAmount ? `签约金额：${d.signedAmount}` : '',
    d.capitalTotal ? `累计到位资金：${d.capitalTotal}` : '',
    `跟进单位：${one(d.ownerUnitName, 40)}`,
    d.firstContactUnitName !== d.ownerUnitName ? `首谈首报单位：${one(d.firstContactUnitName, 40)}` : '',
    `登记日期：${formatDate(d.registeredAt, timeZone)}`,
    d.history.length ? `进展：${d.history.map((h) => `${one(h.label, 6)} ${formatDate(h.date, timeZone)}`).join('；')}` : '',
  ]);
}

export function replyCorrected(p: { code: string; fields: string[]; warnings: string[]; problems: string[] }): string {
  return finish([
    p.fields.length ? `线索 ${one(p.code, 40)} 已更正：${p.fields.join('、')}。` : `未能从消息中读到要更正的内容。`,
    ...warningLines(p.warnings, p.problems),
    p.fields.length ? '' : `请写成：更正 ${one(p.code, 40)} 投资额：3亿`,
  ]);
}

export function replyTransferRequested(p: { code: string; office: string }): string {
  return finish([`已向${one(p.office, 20)}提交线索 ${one(p.code, 40)} 的流转申请，处理结果将另行通知。`]);
}

export function noticeTransferRequest(p: { code: string; companyName: string; unitName: string; reason: string }): string {
  return finish([
    `【流转申请】${one(p.unitName, 40)}申请跟进线索 ${one(p.code, 40)}（${one(p.companyName)}）。`,
    `理由：${one(p.reason, 200) || '未说明'}`,
    `同意请发送：流转 ${one(p.code, 40)} ${one(p.unitName, 40)} 原因`,
  ]);
}

export function noticeTransferred(p: { code: string; companyName: string; fromUnitName: string; toUnitName: string; reason: string; firstContactUnitName: string }): string {
  return finish([
    `【线索流转】线索 ${one(p.code, 40)}（${one(p.companyName)}）由${one(p.fromUnitName, 40)}流转至${one(p.toUnitName, 40)}跟进。`,
    `理由：${one(p.reason, 200)}`,
    `首谈首报成绩仍归${one(p.firstContactUnitName, 40)}。`,
  ]);
}

export function noticePossibleDuplicate(p: { companyName: string; reporterUnitName: string; similarName: string; ownerUnitName: string }): string {
  return finish([
    `【疑似重复企业】${one(p.reporterUnitName, 40)}报送“${one(p.companyName)}”，与${one(p.ownerUnitName, 40)}已登记的“${one(p.similarName)}”名称相近，请研判。`,
  ]);
}

export function noticeSharedPhone(p: { code: string; companyName: string; unitName: string; otherCode: string; otherCompanyName: string; otherUnitName: string }): string {
  return finish([
    `【联系电话重合提示】${one(p.unitName, 40)}的线索 ${one(p.code, 40)}（${one(p.companyName)}）与${one(p.otherUnitName, 40)}的线索 ${one(p.otherCode, 40)}（${one(p.otherCompanyName)}）联系电话相同，可能为同一投资方，请研判。`,
  ]);
}

export function replyIntakeHelp(p: { office: string; stageWords: string[]; capitalWord: string; example: string; transferAllowed: boolean }): string {
  return finish([
    '招商助手使用说明',
    '一、报线索：以“报线索”开头，写明企业名称即可先行登记（首谈首报以该消息时间为准），其余可稍后直接回复补充。示例：',
    p.example,
    '也可以直接用一句话描述，我会读出要点请您“确认”。',
    '二、进展：' + p.stageWords.map((w) => `${w} 编号`).join('；') + `；签约写金额和日期，终止写原因；${p.capitalWord} 编号 1.2亿 登记到位资金。随后发送的照片或文件作为佐证。`,
    '三、查询：我的线索；查询 企业名（是否已登记、由哪个单位）；线索 编号（详情）；更正 编号 投资额：3亿。',
    p.transferAllowed ? `四、流转：申请流转 编号 原因（由${one(p.office, 20)}统筹，首谈首报成绩保留）。` : '',
    '其他：确认、确认新企业、取消、帮助。',
  ]);
}

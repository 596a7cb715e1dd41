/**
 * Chat replies for lead submission. Plain text for WeCom / DingTalk text messages: every
 * reply is cut to at most {@link WECOM_TEXT_MAX_BYTES} bytes of UTF-8, and text that comes
 * from users is clipped before it is echoed.
 */

import { REQUIRED_FIELD_NAMES } from './fields';
import { clip, truncateUtf8, utf8Length, WECOM_TEXT_MAX_BYTES } from './text';

/** The one example shown everywhere; it parses as a valid lead. */
export const LEAD_EXAMPLE =
  '报线索 企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地';

/** The coordinating office users are sent to when they dispute a registration. */
export const COORDINATING_OFFICE = '市商务局';

const NAME_CHARS = 60;
const ECHO_CHARS = 20;
const MAX_PROBLEMS_SHOWN = 8;
const CHINA_UTC_OFFSET_MS = 8 * 3600 * 1000;

/**
 * Calendar date in Asia/Shanghai, e.g. "2026年11月22日". China has kept UTC+8 without
 * daylight saving since 1991, so a fixed offset is exact for any date the product handles.
 */
export function formatChinaDate(date: Date): string {
  const d = new Date(date.getTime() + CHINA_UTC_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** User- or data-supplied text on one line, clipped. */
function one(text: string, maxChars: number): string {
  return clip(String(text ?? '').replace(/\s+/g, ' ').trim(), maxChars);
}

function finish(lines: string[]): string {
  return truncateUtf8(lines.join('\n'), WECOM_TEXT_MAX_BYTES);
}

export interface LeadRegisteredReply {
  code: string;
  companyName: string;
  tierLabel: string;
  ownerUnitName: string;
  amountDisplay: string;
}

export function replyLeadRegistered(p: LeadRegisteredReply): string {
  return finish([
    '线索登记成功。',
    `线索编号：${one(p.code, 40)}`,
    `企业名称：${one(p.companyName, NAME_CHARS)}`,
    `计划投资：${one(p.amountDisplay, 30)}`,
    `项目等级：${one(p.tierLabel, 20)}`,
    `首谈首报单位：${one(p.ownerUnitName, 40)}`,
    `该企业已按首谈首报登记在${one(p.ownerUnitName, 40)}名下，请持续跟进对接，及时报送项目进展。`,
  ]);
}

export interface AlreadyRegisteredReply {
  companyName: string;
  ownerUnitName: string;
  registeredAt: Date;
}

/**
 * Told to a unit that reports a company another unit registered first. By design it names
 * the owner unit and the date only: never the owner's contact person or phone.
 */
export function replyAlreadyRegistered(p: AlreadyRegisteredReply): string {
  return finish([
    '该企业已有首谈首报登记，本次未予重复登记。',
    `企业名称：${one(p.companyName, NAME_CHARS)}`,
    `首谈首报单位：${one(p.ownerUnitName, 40)}`,
    `登记日期：${formatChinaDate(p.registeredAt)}`,
    `为避免多头对接，请勿重复联系该企业。如认为登记有误，请联系${COORDINATING_OFFICE}核实处理。`,
  ]);
}

export interface InvalidLeadReply {
  missing: string[];
  problems: string[];
}

/**
 * What is missing or wrong, then the copyable example. Problems are listed while they fit:
 * the example is always kept whole and the reply stays within the WeCom byte limit.
 */
export function replyInvalidLead(p: InvalidLeadReply): string {
  const head = ['线索未能登记，请补充或更正后重新发送。'];
  if (p.missing.length > 0) head.push(`缺少必填项：${p.missing.map((m) => one(m, 10)).join('、')}`);
  const tail = ['填写示例（可复制后修改）：', LEAD_EXAMPLE];

  const problems = p.problems.map((problem) => one(problem, 120));
  const shown: string[] = [];
  if (problems.length > 0) {
    const reserve = utf8Length('需更正：\n') + utf8Length(`另有${problems.length}处问题，请一并核对。\n`);
    let budget = WECOM_TEXT_MAX_BYTES - utf8Length([...head, ...tail].join('\n')) - 1 - reserve;
    for (const problem of problems.slice(0, MAX_PROBLEMS_SHOWN)) {
      const line = `${shown.length + 1}. ${problem}`;
      const cost = utf8Length(line) + 1;
      if (cost > budget) break;
      shown.push(line);
      budget -= cost;
    }
  }
  const body: string[] = [];
  if (problems.length > 0) {
    body.push('需更正：', ...shown);
    const rest = problems.length - shown.length;
    if (rest > 0) body.push(shown.length > 0 ? `另有${rest}处问题，请一并核对。` : `共有${rest}处问题，请核对后重新填写。`);
  }
  return finish([...head, ...body, ...tail]);
}

export function replyHelp(): string {
  const required = Object.values(REQUIRED_FIELD_NAMES).join('、');
  return finish([
    '招商助手使用说明',
    '一、报送线索：以“报线索”开头，按“字段：内容”填写，各项之间用空格或换行分隔。',
    `必填：${required}`,
    '选填：联系人（可附电话）、意向区县、统一社会信用代码、来源地',
    '投资额可写作“5亿元”“3000万元”“3500万美元”。',
    '示例：',
    LEAD_EXAMPLE,
    '二、首谈首报：同一企业以首个报送单位登记，其他单位再报时将收到已登记提示，请勿重复对接。',
    '三、发送“帮助”可再次查看本说明。',
  ]);
}

export function replyUnknownSender(): string {
  return finish([
    '您好，您的账号尚未在招商助手中登记，暂时无法办理。',
    '您的消息已留存，管理员将尽快与您联系，请耐心等候。',
  ]);
}

export function replyUnknownCommand(text: string): string {
  const t = (text ?? '').trim();
  const head = t ? `未能识别“${one(t, ECHO_CHARS)}”。` : '未能识别您的消息。';
  return finish([`${head}报送线索请以“报线索”开头，例如：`, LEAD_EXAMPLE, '发送“帮助”查看使用说明。']);
}

/** Answer to an image, voice, file or other non-text message. */
export function replyUnsupportedMessageType(): string {
  return finish(['暂时只能处理文字消息。报送线索请发送文字，以“报线索”开头；发送“帮助”查看使用说明。']);
}

// Pure domain rules for submitting leads by chat (报线索 / 首谈首报). No I/O, no Nest.
export { parseAmount, formatLeadAmount, hasUnsupportedCurrency, MAX_LEAD_AMOUNT_WAN } from './amount';
export type { LeadAmount, LeadCurrency } from './amount';
export { parseChatCommand, cleanChatText, SUBMIT_LEAD_KEYWORDS, HELP_KEYWORDS } from './chat-command';
export type { ChatCommand } from './chat-command';
export { normalizeCompanyName } from './company-name';
export {
  isValidCreditCode,
  normalizeCreditCode,
  creditCodeCheckChar,
  CREDIT_CODE_CHARSET,
  CREDIT_CODE_WEIGHTS,
} from './credit-code';
export { LEAD_FIELD_ALIASES, REQUIRED_FIELD_NAMES } from './fields';
export type { LeadFieldKey } from './fields';
export {
  parseLeadFields,
  extractLeadFields,
  splitContact,
  MAX_LEAD_BODY_CHARS,
  MAX_COMPANY_NAME_CHARS,
} from './lead-fields';
export type { LeadDraft, LeadParseResult } from './lead-fields';
export {
  LEAD_EXAMPLE,
  COORDINATING_OFFICE,
  formatChinaDate,
  replyLeadRegistered,
  replyAlreadyRegistered,
  replyInvalidLead,
  replyHelp,
  replyUnknownSender,
  replyUnknownCommand,
  replyUnsupportedMessageType,
} from './replies';
export type { LeadRegisteredReply, AlreadyRegisteredReply, InvalidLeadReply } from './replies';
export { WECOM_TEXT_MAX_BYTES, truncateUtf8 } from './text';
export { classifyTier } from './tier';
export type { TierRule } from './tier';
export {
  readLeadReport,
  readCompletionReply,
  missingReportFields,
  LEAD_REPORT_FIELD_NAMES,
  MAX_READ_CHARS,
  MAX_REPORT_COMPANY_CHARS,
  MAX_REPORT_CONTENT_CHARS,
} from './lead-report';
export { readAmount, findAmountInText, MIN_CREDIBLE_AMOUNT_WAN } from './amount-reading';
export type { AmountOutcome } from './amount-reading';
export { findPhone } from './phone-reading';
export type { PhoneFound, PhoneKind } from './phone-reading';
export { PLACE_NAMES } from './company-name';
export type { LeadReport, AmountReading, ReportFieldKey, ReadOptions } from './lead-report';

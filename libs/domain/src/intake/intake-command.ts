/**
 * What a chat message asks of the ledger, recognised before any lead text is read. One
 * command per message; the command word leads the message (after @mentions), the lead number
 * (e.g. YY-2026-000001, any case, full-width allowed) follows. Stage words come from the
 * city profile, so this takes the profile's ledger vocabulary.
 *
 * Anything that is not a command is `text`: the router decides whether it completes a pending
 * lead, is a plain-sentence report to read back, or is not understood.
 */
import { cleanChatText, parseChatCommand } from '../lead/chat-command';
import type { LedgerRules } from '../policy/profile.schema';
import { ledgerCommandFor, ledgerCommandWords, Stage } from '../ledger/stage-machine';

export type IntakeCommand =
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'confirm' }
  | { kind: 'confirm-new-company' }
  | { kind: 'my-leads' }
  | { kind: 'query'; companyName: string }
  | { kind: 'show'; code: string }
  | { kind: 'correct'; code: string; body: string }
  | { kind: 'stage'; code: string; stage: Exclude<Stage, 'lead'>; args: string }
  | { kind: 'capital'; code: string; args: string }
  | { kind: 'transfer'; code: string; args: string }
  | { kind: 'request-transfer'; code: string; reason: string }
  | { kind: 'submit'; body: string }
  | { kind: 'needs-code'; command: string }
  | { kind: 'text'; text: string };

/** A lead number: city code, year, six digits. */
export const LEAD_CODE_RE = /^([A-Za-z]{2,4})[-—_](\d{4})[-—_](\d{1,6})$/;

export function normalizeLeadCode(raw: string): string | null {
  const m = LEAD_CODE_RE.exec(raw.normalize('NFKC').trim());
  if (!m) return null;
  return `${m[1].toUpperCase()}-${m[2]}-${m[3].padStart(6, '0')}`;
}

/** Splits "CODE rest" into the normalised code and the rest (as typed), or null when no code leads. */
function codeAndRest(text: string): { code: string; rest: string } | null {
  // Stryker disable next-line MethodExpression: equivalent, the only caller passes after()'s trimmed rest
  const s = text.trim();
  const token = /^[^\s,，;；:：]+/.exec(s)?.[0];
  if (!token) return null;
  const code = normalizeLeadCode(token);
  if (!code) return null;
  // The token ends at a separator or at the end of s, so the run of separators is at the start.
  // Stryker disable next-line Regex: equivalent, see above
  const rest = s.slice(token.length).replace(/^[\s,，;；:：]+/, '');
  // Stryker disable next-line MethodExpression: equivalent, s is trimmed and the separators in front are gone
  return { code, rest: rest.trim() };
}

const WORDS = {
  cancel: /^(?:取消|算了|不报了|撤销)[。.!！]*$/,
  confirm: /^(?:确认|确定|对|是的|没错|无误|正确)[。.!！]*$/,
  confirmNew: /^确认(?:为)?新企业[。.!！]*$/,
  myLeads: /^(?:我的线索|本单位线索|我们的线索)[。.!！?？]*$/,
};

function after(s: string, word: string): string | null {
  if (!s.startsWith(word)) return null;
  const rest = s.slice(word.length);
  if (rest && !/^[\s:：,，]/.test(rest) && !/^[A-Za-z０-９Ａ-Ｚａ-ｚ0-9]/.test(rest)) return null;
  // Stryker disable next-line MethodExpression: equivalent, s is cleaned (trimmed) and the separators in front are removed
  return rest.replace(/^[\s:：,，]+/, '').trim();
}

export function parseIntakeCommand(text: string, rules: LedgerRules): IntakeCommand {
  const s = cleanChatText(text);
  const base = parseChatCommand(s);
  if (base.kind === 'help') return { kind: 'help' };
  if (WORDS.confirmNew.test(s)) return { kind: 'confirm-new-company' };
  if (WORDS.cancel.test(s)) return { kind: 'cancel' };
  if (WORDS.confirm.test(s)) return { kind: 'confirm' };
  if (WORDS.myLeads.test(s)) return { kind: 'my-leads' };

  const query = after(s, '查询');
  if (query !== null) return query ? { kind: 'query', companyName: query } : { kind: 'needs-code', command: '查询' };

  // "线索 YY-2026-000001" shows a lead; "线索 企业：…" stays a report.
  for (const word of ['查看线索', '查看', '线索']) {
    const rest = after(s, word);
    if (rest === null) continue;
    const c = codeAndRest(rest);
    if (c && !c.rest) return { kind: 'show', code: c.code };
    if (word !== '线索') return { kind: 'needs-code', command: word };
  }

  const withCode: Array<[string, (code: string, rest: string) => IntakeCommand]> = [
    ['申请流转', (code, rest) => ({ kind: 'request-transfer', code, reason: rest })],
    ['流转', (code, rest) => ({ kind: 'transfer', code, args: rest })],
    ['更正', (code, rest) => ({ kind: 'correct', code, body: rest })],
  ];
  for (const word of ledgerCommandWords(rules)) {
    const cmd = ledgerCommandFor(word, rules)!;
    withCode.push([
      word,
      (code, rest) => (cmd.kind === 'capital' ? { kind: 'capital', code, args: rest } : { kind: 'stage', code, stage: cmd.stage, args: rest }),
    ]);
  }
  for (const [word, make] of withCode) {
    const rest = after(s, word);
    if (rest === null) continue;
    const c = codeAndRest(rest);
    if (c) return make(c.code, c.rest);
    return { kind: 'needs-code', command: word };
  }

  if (base.kind === 'submit-lead') return { kind: 'submit', body: base.body };
  return { kind: 'text', text: s };
}

import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * What the controllers' decorators do not say, kept beside the document rather than spread over
 * every controller: a summary for each operation and the shape of its answer (the console's typed
 * client is generated from it). Applied by adminApiDocument; `npm run console:api` refuses to write a
 * document in which an operation still lacks a summary or a described success answer.
 */
type Schema = Record<string, unknown>;
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const str: Schema = { type: 'string' };
const nstr: Schema = { type: 'string', nullable: true };
const num: Schema = { type: 'number' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const arr = (items: Schema): Schema => ({ type: 'array', items });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const page = (items: Schema): Schema => obj({ items: arr(items), total: int, limit: int, offset: int }, ['items', 'total']);
const free: Schema = { type: 'object', additionalProperties: true };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Shared answer shapes (components). */
export const SUPPLEMENT_SCHEMAS: Record<string, Schema> = {
  ConsoleLeadDetail: {
    allOf: [
      ref('LeadView'),
      obj(
        {
          firstContactUnitName: str,
          signedAmountWan: { type: 'number', nullable: true },
          capitalInPlaceWan: { type: 'number', nullable: true },
          projectTypes: arr(str),
          history: arr(obj({ from: nstr, to: str, date: str, by: nstr, note: nstr }, ['to', 'date'])),
          evidence: arr(free),
          reReports: arr(free),
          transfers: arr(obj({ fromUnitName: str, toUnitName: str, reason: str, at: str, by: nstr }, ['fromUnitName', 'toUnitName', 'reason'])),
          audit: arr(obj({ action: str, actor: nstr, at: str, before: free, after: free }, ['action', 'at'])),
          restricted: { type: 'boolean', description: "true: another unit's lead seen by a unit administrator (registration facts only)" },
          registeredNotice: { type: 'string', description: '“registered by X on D”, for a restricted lead' },
        },
        ['firstContactUnitName', 'history', 'transfers', 'audit'],
      ),
    ],
  },
  ConsoleLedgerImportReport: obj({
    commit: bool,
    accepted: int,
    duplicates: int,
    errors: int,
    rows: arr(obj({ row: int, status: { type: 'string', enum: ['accepted', 'duplicate', 'error'] }, companyName: str, errors: arr(str), duplicateOf: free }, ['row', 'status'])),
  }),
  ConsoleMemberImportReport: obj({ commit: bool, created: int, updated: int, errors: int, rows: arr(free) }, ['commit', 'created', 'updated', 'errors']),
  ConsoleScheduleView: obj({
    id: str,
    kind: str,
    name: str,
    cron: { type: 'string', description: '5-field cron; the console edits it through a form' },
    timezone: str,
    enabled: bool,
    workingDaysOnly: bool,
    audience: free,
    message: nstr,
    nextFireAt: { type: 'string', format: 'date-time', nullable: true },
    lastFiredAt: { type: 'string', format: 'date-time', nullable: true },
    onceAt: { type: 'string', format: 'date-time', nullable: true },
    graceMinutes: int,
    leadMinutes: int,
    profileKey: nstr,
    version: int,
  }),
  ConsoleScheduleRun: obj({ slot: str, status: str, reason: nstr, reached: int, delivered: int, firedAt: str }, ['slot', 'status']),
  ConsoleSchedulePreview: obj(
    {
      scheduleId: str,
      name: str,
      kind: str,
      asOf: { type: 'string', format: 'date-time' },
      total: { type: 'integer', description: 'distinct people who would receive something' },
      items: { type: 'integer', description: 'pushes (one per person and text)' },
      noChannel: { type: 'integer', description: 'people without a chat identity' },
      recipients: arr(
        obj({ memberId: str, name: str, unitName: str, role: str, channel: { type: 'string', enum: ['wecom-app', 'dingtalk-oto'], nullable: true }, items: int }),
      ),
      messages: arr(obj({ title: str, text: str, recipients: int })),
      robots: arr(obj({ robotId: str, platform: str, title: str, text: str })),
      truncated: { type: 'boolean', description: 'recipients or messages cut to their bound' },
      heldUntil: { type: 'string', format: 'date-time', nullable: true, description: 'quiet hours would hold the pushes until then' },
      summary: free,
    },
  ),
  ConsoleRankingRow: obj({
    rank: { type: 'integer', nullable: true },
    unit: str,
    unitName: str,
    score: { type: 'number', nullable: true },
    indicators: { type: 'object', additionalProperties: obj({ value: num, target: num, completion: num, points: num }, []) },
    progress: { type: 'number', nullable: true },
    timeProgress: num,
    gap: { type: 'number', nullable: true },
    band: { type: 'string', enum: ['green', 'yellow', 'red'], nullable: true },
    gapToAbove: { type: 'number', nullable: true },
  }),
  ConsoleRankingView: obj(
    {
      period: str,
      label: str,
      status: { type: 'string', enum: ['published', 'draft'] },
      version: { type: 'integer', nullable: true },
      publishedAt: nstr,
      timeProgress: num,
      changes: arr(str),
      groups: arr(obj({ group: str, groupName: str, rows: arr(ref('ConsoleRankingRow')) })),
      outdated: bool,
    },
    ['period', 'label', 'status', 'version', 'publishedAt', 'timeProgress', 'changes', 'groups'],
  ),
  ConsolePublishResult: obj({ period: str, version: int, created: bool, changes: arr(str), notices: free, accountability: arr(free) }, ['period', 'version', 'created', 'changes']),
  ConsoleAccountabilityItem: obj(
    { id: str, period: str, unit: str, unitName: str, action: str, convener: nstr, interviewee: nstr, reason: str, deadline: nstr, status: str, heldAt: nstr },
    ['id', 'period', 'unit', 'action', 'status'],
  ),
  ConsoleRewards: obj({ year: int, basis: str, items: arr(obj({ unit: str, unitName: str, amountWan: num, reason: str })), totalWan: num }),
  ConsoleReportingStatus: obj({ period: str, reported: arr(free), missing: arr(free) }, ['reported', 'missing']),
  ConsoleFigureSaved: obj({ saved: int }, []),
};

const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const file = (description: string) => ({ description, content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } });

/** operationId → summary (when the controller gives none) and success answer (when it gives none or a wrong one). */
export const OPERATION_SUPPLEMENT: Record<string, { summary?: string; ok?: Record<string, unknown>; status?: string }> = {
  AuthController_logout: { ok: json(obj({ ok: bool }, [])) },
  AuthController_revokeToken: { ok: json(obj({ revoked: str }, [])) },
  UnitsController_list: { summary: 'List the units (counties, parks, departments) with their member counts' },
  UnitsController_create: { summary: 'Create a unit' },
  MemberAdminController_import: { summary: 'Import the address book (.xlsx body); ?commit=true saves, otherwise a dry run row by row', ok: json(ref('ConsoleMemberImportReport')) },
  MemberAdminController_update: { summary: "Change a member's name, unit, role, chat identities or mobile" },
  MemberAdminController_deactivate: { summary: 'Deactivate a member (history stays)' },
  MembersController_list: { summary: 'List members, optionally of one unit' },
  MembersController_create: { summary: 'Register a member with their chat identities' },
  LedgerController_export: { summary: 'The filtered ledger as an .xlsx workbook (same filters as GET /api/leads)', ok: file('leads.xlsx') },
  LedgerController_import: { summary: 'Import a city ledger (.xlsx body); ?commit=true registers the accepted rows, otherwise a dry run', ok: json(ref('ConsoleLedgerImportReport')) },
  LedgerController_evidence: {
    summary: "One evidence file of a lead (the owning unit's only); 409 while it is still being fetched",
    ok: { description: 'The file bytes with their Content-Type', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  },
  LedgerController_get: { summary: 'One lead with its stage history, evidence, re-reports, transfers and audit trail', ok: json(ref('ConsoleLeadDetail')) },
  LedgerController_patch: { summary: "Correct a lead's fields (audited with before and after)", ok: json(ref('ConsoleLeadDetail')) },
  LedgerController_stage: { summary: "Change a lead's stage (signed needs the amount; terminated a reason)", ok: json(ref('ConsoleLeadDetail')) },
  LedgerController_transfer: { summary: 'Transfer a lead to another unit with the reason; first contact is kept', ok: json(ref('ConsoleLeadDetail')) },
  LeadsController_list: { summary: 'Search and filter the ledger; one page { items, total, limit, offset }', ok: json(page(ref('LeadView'))) },
  LeadsController_inbox: { summary: 'Messages from people who are not registered members', ok: json(page(ref('InboxMessageView'))) },
  RobotsController_list: { summary: 'Group robots and their status (keys masked)' },
  RobotsController_create: { summary: 'Register a group robot (key and signing secret stored encrypted)' },
  RobotsController_reset: { summary: 'Mark a broken robot working again' },
  DeliveriesController_list: { summary: 'The delivery log, newest first: every send with its recipient and outcome (never the text); filters status, channel, from/to, q on the recipient; one page { items, total }' },
  DeadLettersController_list: { summary: 'Messages that could not be delivered (dead letters)' },
  DeadLettersController_replay: { summary: 'Deliver a dead letter again', ok: json(free) },
  ScoringController_indicators: { ok: json(arr(obj({ key: str, name: str, unit: str, method: str, weight: num, source: { type: 'string', enum: ['ledger', 'reported'] } }, ['key', 'name']))) },
  ScoringController_putTargets: { ok: json(ref('ConsoleFigureSaved')) },
  ScoringController_putActuals: { ok: json(ref('ConsoleFigureSaved')) },
  ScoringController_putExemptions: { ok: json(ref('ConsoleFigureSaved')) },
  ScoringController_targetsTemplate: { ok: file('the targets template') },
  ScoringController_actualsTemplate: { ok: file("the period's results template") },
  ScoringController_uploadTargets: { ok: json(ref('ConsoleFigureSaved')) },
  ScoringController_uploadActuals: { ok: json(ref('ConsoleFigureSaved')) },
  ScoringController_rankings: { ok: json(ref('ConsoleRankingView')) },
  ScoringController_rankingSheet: { ok: file('the ranking') },
  ScoringController_publish: { ok: json(ref('ConsolePublishResult')) },
  ScoringController_accountability: { summary: "A year's accountability actions (notices, interviews) with their status", ok: json(arr(ref('ConsoleAccountabilityItem'))) },
  ScoringController_held: { ok: json(ref('ConsoleAccountabilityItem')) },
  ScoringController_rewards: { summary: "A year's rewards per unit under the city's policy", ok: json(ref('ConsoleRewards')) },
  ScoringController_reportingStatus: { ok: json(ref('ConsoleReportingStatus')) },
  SchedulesController_list: { ok: json(arr(ref('ConsoleScheduleView'))) },
  SchedulesController_create: { ok: json(ref('ConsoleScheduleView')) },
  SchedulesController_update: { ok: json(ref('ConsoleScheduleView')) },
  SchedulesController_remove: { summary: 'Delete a schedule', ok: json(obj({ deleted: str })) },
  SchedulesController_run: { ok: json(ref('ConsoleScheduleRun')) },
  SchedulesController_preview: { ok: json(ref('ConsoleSchedulePreview')) },
  SchedulesController_runs: { ok: json(arr(ref('ConsoleScheduleRun'))) },
  TripsController_create: { summary: 'Record a business trip of a member', ok: json(free) },
  TripsController_list: { summary: 'Business trips, by member and date range', ok: json(arr(free)) },
  AuthController_wecomLogin: { status: '302', ok: { description: 'to the WeCom web sign-in page (state cookie set)', headers: { Location: { schema: str } } } },
  AuthController_wecomCallback: { status: '302', ok: { description: 'signed in (session and CSRF cookies set): to /console/', headers: { Location: { schema: str } } } },
  AuthController_dingtalkLogin: { status: '302', ok: { description: 'to the DingTalk sign-in page (state cookie set)', headers: { Location: { schema: str } } } },
  AuthController_dingtalkCallback: { status: '302', ok: { description: 'signed in (session and CSRF cookies set): to /console/', headers: { Location: { schema: str } } } },
  HealthController_live: { summary: 'Liveness: the process answers', ok: json(free) },
  HealthController_ready: { summary: 'Readiness: the engines it needs answer', ok: json(free) },
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** Adds the summaries and answer shapes above to a generated document (in place; returns it). */
export function completeAdminApiDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas = { ...SUPPLEMENT_SCHEMAS, ...(doc.components.schemas ?? {}) } as never;
  for (const item of Object.values(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op?.operationId) continue;
      const sup = OPERATION_SUPPLEMENT[op.operationId];
      if (!sup) continue;
      if (sup.summary && !op.summary) op.summary = sup.summary;
      if (sup.ok) {
        const code = sup.status ?? Object.keys(op.responses ?? {}).find((c) => c.startsWith('2')) ?? (m === 'post' ? '201' : '200');
        const said = (op.responses?.[code] as { description?: string } | undefined)?.description;
        op.responses = { ...(op.responses ?? {}), [code]: { ...sup.ok, ...(said ? { description: said } : {}) } as never };
      }
    }
  }
  return doc;
}

/** Operations a document still leaves without a summary or a described success answer. */
export function undocumentedOperations(doc: OpenAPIObject): string[] {
  const out: string[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const responses = Object.entries(op.responses ?? {});
      const ok = responses.find(([c]) => c.startsWith('2'))?.[1] as { content?: unknown } | undefined;
      const redirect = responses.find(([c]) => c.startsWith('3'))?.[1] as { headers?: unknown } | undefined;
      if (!op.summary) out.push(`${m.toUpperCase()} ${p}: no summary`);
      if (!ok?.content && !redirect?.headers) out.push(`${m.toUpperCase()} ${p}: no described answer`);
    }
  }
  return out;
}

/**
 * Every NATS subject, JetStream stream and durable consumer name the services share.
 * All are prefixed with the deployment namespace so several deployments (or test
 * runs) can share one NATS cluster without hearing each other.
 */
export function namesFor(ns: string) {
  const NS = ns.toUpperCase();
  return {
    streams: {
      /** Accepted chat messages from every platform, waiting for lead-intake. */
      chatInbound: { name: `${NS}_CHAT_INBOUND`, subjects: [`${ns}.chat.inbound.>`] },
      /** Outbound messages requested by any service, waiting for notification. */
      notify: { name: `${NS}_NOTIFY`, subjects: [`${ns}.notify.>`] },
      /** Domain events (lead registered, stage changed, ranking published). */
      events: { name: `${NS}_EVENTS`, subjects: [`${ns}.events.>`] },
      /** Messages a consumer gave up on, with the reason; listed and replayed through the admin API. */
      deadLetter: { name: `${NS}_DEAD_LETTER`, subjects: [`${ns}.deadletter.>`] },
    },
    subjects: {
      chatInbound: (platform: string) => `${ns}.chat.inbound.${platform}`,
      chatInboundAll: `${ns}.chat.inbound.>`,
      notifySend: `${ns}.notify.send`,
      leadRegistered: `${ns}.events.lead.registered`,
      leadStageChanged: `${ns}.events.lead.stage-changed`,
      leadTransferred: `${ns}.events.lead.transferred`,
      leadUpdated: `${ns}.events.lead.updated`,
      rankingPublished: `${ns}.events.ranking.published`,
      accountabilityRaised: `${ns}.events.accountability.raised`,
      accountabilityHeld: `${ns}.events.accountability.held`,
      /** every accountability event (the scheduler's durable reads them all) */
      accountabilityAll: `${ns}.events.accountability.>`,
      eventsAll: `${ns}.events.>`,
      /** Where a durable consumer's dead letters go. */
      deadLetter: (durable: string) => `${ns}.deadletter.${durable}`,
    },
    durables: {
      leadIntakeInbound: 'lead-intake-inbound',
      notificationSend: 'notification-send',
      scoringEvents: 'scoring-events',
      schedulerLedger: 'scheduler-ledger',
      schedulerAccountability: 'scheduler-accountability',
    },
    queues: {
      leadIntake: `${ns}.lead-intake`,
      scoring: `${ns}.scoring`,
      notification: `${ns}.notification`,
      scheduler: `${ns}.scheduler`,
    },
    redisPrefix: `${ns}`,
  };
}

export type Names = ReturnType<typeof namesFor>;

/**
 * Request/reply subjects. Nest's @MessagePattern needs them when the decorator runs,
 * so they are derived from NAMESPACE at import time (the same variable the validated
 * config reads; see docs/adr/0003).
 */
const RPC_NS = process.env.NAMESPACE || 'zs';
export const Rpc = {
  unitsList: `${RPC_NS}.rpc.directory.units.list`,
  unitsCreate: `${RPC_NS}.rpc.directory.units.create`,
  membersList: `${RPC_NS}.rpc.directory.members.list`,
  membersCreate: `${RPC_NS}.rpc.directory.members.create`,
  leadsList: `${RPC_NS}.rpc.leads.list`,
  leadsGet: `${RPC_NS}.rpc.leads.get`,
  leadsStage: `${RPC_NS}.rpc.leads.stage`,
  leadsTransfer: `${RPC_NS}.rpc.leads.transfer`,
  leadsPatch: `${RPC_NS}.rpc.leads.patch`,
  leadsImport: `${RPC_NS}.rpc.leads.import`,
  leadsExport: `${RPC_NS}.rpc.leads.export`,
  membersUpdate: `${RPC_NS}.rpc.directory.members.update`,
  membersDeactivate: `${RPC_NS}.rpc.directory.members.deactivate`,
  membersImport: `${RPC_NS}.rpc.directory.members.import`,
  inboxList: `${RPC_NS}.rpc.inbox.list`,
  scoringPing: `${RPC_NS}.rpc.scoring.ping`,
  /** scoring: publish a period's ranking notice (the admin API and the scheduler both call it). */
  scoringPublish: `${RPC_NS}.rpc.scoring.rankings.publish`,
  scoringRankings: `${RPC_NS}.rpc.scoring.rankings.get`,
  scoringAccountability: `${RPC_NS}.rpc.scoring.accountability.list`,
  /** scoring: which units have (not) reported their figures for a period (data-due reminders). */
  scoringReportingStatus: `${RPC_NS}.rpc.scoring.reporting-status`,
  schedulerPing: `${RPC_NS}.rpc.scheduler.ping`,
  robotsList: `${RPC_NS}.rpc.notification.robots.list`,
  robotsCreate: `${RPC_NS}.rpc.notification.robots.create`,
  robotsReset: `${RPC_NS}.rpc.notification.robots.reset`,
  /** notification (it owns delivery_log): a filtered page of the delivery log for the admin API. */
  deliveriesList: `${RPC_NS}.rpc.notification.deliveries.list`,
  /** notification (it fetches and owns the bytes): one evidence file of a lead, its description and a slice of its bytes (base64). */
  evidenceFileSlice: `${RPC_NS}.rpc.notification.evidence.file`,
} as const;

export * from './directory.repository';
export * from './lead.repository';
export * from './inbound.repository';
export * from './delivery-log.repository';
export * from './chat-robot.repository';
export * from './ledger.repository';
export * from './conversation.repository';
export * from './outbox.repository';

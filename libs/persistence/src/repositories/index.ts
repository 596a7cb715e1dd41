export * from './directory.repository';
export * from './lead.repository';
export * from './inbound.repository';
export * from './delivery-log.repository';
export * from './chat-robot.repository';

export * from './calendar';
export * from './slots';
export * from './periods';
export * from './reminders';
export * from './schedule-chat';
export * from './cron-words';

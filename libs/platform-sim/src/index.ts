export * from './wecom-simulator';
export * from './wecom-console-page';
export * from './dingtalk-simulator';
export * from './sliding-window';
export { MAX_BODY_BYTES, HttpError, httpAttempt, readBody } from './sim-http';
export type { AttemptResult, AttemptOutcome } from './sim-http';
export * from './wecom-aibot-simulator';

export * from './config';
export * from './redact';
export * from './logger';
export * from './jetstream';
export * from './health';
export * from './platform.module';
export * from './bootstrap';
export * from './mesh-streams';

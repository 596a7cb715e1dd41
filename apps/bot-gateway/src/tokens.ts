export const NAMES = Symbol('NAMES');
export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');
export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');
export const MESH_CLIENT = Symbol('MESH_CLIENT');
export const WECOM_APP_CRYPTO = Symbol('WECOM_APP_CRYPTO');
export const ADMIN_AUTH_SETTINGS = Symbol('ADMIN_AUTH_SETTINGS');
export const ADMIN_REDIS = Symbol('ADMIN_REDIS');
export const ADMIN_LOGIN_THROTTLE = Symbol('ADMIN_LOGIN_THROTTLE');

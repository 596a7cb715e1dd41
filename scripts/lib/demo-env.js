// Local demo settings. Secrets are generated once per checkout into .run/demo.env
// (ignored by git), never committed; anything set in the environment wins.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { ROOT } = require('./mesh');

const FILE = path.join(ROOT, '.run', 'demo.env');

function randomAlnum(n) {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.randomBytes(n), (b) => chars[b % chars.length]).join('');
}

function generated() {
  return {
    ADMIN_TOKEN: randomAlnum(32),
    SECRET_ENCRYPTION_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
    WECOM_TOKEN: randomAlnum(24),
    WECOM_ENCODING_AES_KEY: crypto.randomBytes(32).toString('base64').replace(/=+$/, ''),
    WECOM_SECRET: randomAlnum(40),
    DINGTALK_CLIENT_SECRET: randomAlnum(64),
    DINGTALK_CUSTOM_ROBOT_TOKEN: crypto.randomBytes(32).toString('hex'),
    DINGTALK_CUSTOM_ROBOT_SECRET: `SEC${crypto.randomBytes(32).toString('hex')}`,
    // Passwords of the demo console accounts (admin, heshan, leader), printed by npm start.
    DEMO_PASSWORD_CITY_ADMIN: randomAlnum(12),
    DEMO_PASSWORD_UNIT_ADMIN: randomAlnum(12),
    DEMO_PASSWORD_LEADER: randomAlnum(12),
  };
}

function readEnvFile(file) {
  if (!fs.existsSync(file)) return null;
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The environment `npm start` runs the system with. */
function demoEnv() {
  let secrets = readEnvFile(FILE);
  // A checkout from before a channel existed gets that channel's secrets added, the rest kept.
  const fresh = generated();
  const missing = secrets ? Object.keys(fresh).filter((k) => !(k in secrets)) : Object.keys(fresh);
  if (missing.length) {
    secrets = { ...(secrets || {}), ...Object.fromEntries(missing.map((k) => [k, fresh[k]])) };
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  }
  const base = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    NAMESPACE: 'zs',
    POLICY_PROFILE: 'yiyang',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/zhaoshang',
    REDIS_URL: 'redis://127.0.0.1:6379',
    NATS_URL: 'nats://127.0.0.1:4222',
    GATEWAY_PORT: '3000',
    LEAD_INTAKE_PORT: '3101',
    SCORING_PORT: '3102',
    NOTIFICATION_PORT: '3103',
    SCHEDULER_PORT: '3104',
    SIM_PORT: '3900',
    SIM_DINGTALK_PORT: '3901',
    DINGTALK_CLIENT_ID: 'dingdemo00000000001',
    WECOM_CORP_ID: 'wwdemo00000000001',
    WECOM_AGENT_ID: '1000002',
    ...secrets,
  };
  const env = { ...base };
  for (const k of Object.keys(base)) if (process.env[k]) env[k] = process.env[k];
  if (!process.env.WECOM_API_BASE) env.WECOM_API_BASE = `http://127.0.0.1:${env.SIM_PORT}`;
  else env.WECOM_API_BASE = process.env.WECOM_API_BASE;
  // 企业微信登录 (web sign-in of the console) is played by the same simulator.
  if (!process.env.WECOM_SSO_BASE) env.WECOM_SSO_BASE = env.WECOM_API_BASE;
  else env.WECOM_SSO_BASE = process.env.WECOM_SSO_BASE;
  env.GATEWAY_CALLBACK_URL = `http://127.0.0.1:${env.GATEWAY_PORT}/wecom/callback`;
  env.ADMIN_API_BASE = `http://127.0.0.1:${env.GATEWAY_PORT}`;
  // DingTalk: the simulator plays both api.dingtalk.com and oapi.dingtalk.com; the gateway takes
  // messages both ways (HTTP callback and Stream), the console lets you pick one per message.
  const dingtalkSim = `http://127.0.0.1:${env.SIM_DINGTALK_PORT}`;
  env.DINGTALK_API_BASE = process.env.DINGTALK_API_BASE || dingtalkSim;
  env.DINGTALK_OAPI_BASE = process.env.DINGTALK_OAPI_BASE || dingtalkSim;
  env.DINGTALK_HTTP_ENABLED = process.env.DINGTALK_HTTP_ENABLED || 'true';
  env.DINGTALK_STREAM_ENABLED = process.env.DINGTALK_STREAM_ENABLED || 'true';
  env.DINGTALK_CALLBACK_URL = `http://127.0.0.1:${env.GATEWAY_PORT}/dingtalk/callback`;
  // 钉钉登录 (web sign-in of the console) with the demo app, its sign-in page played by the same simulator.
  env.DINGTALK_LOGIN_CLIENT_ID = process.env.DINGTALK_LOGIN_CLIENT_ID || env.DINGTALK_CLIENT_ID;
  env.DINGTALK_LOGIN_CLIENT_SECRET = process.env.DINGTALK_LOGIN_CLIENT_SECRET || env.DINGTALK_CLIENT_SECRET;
  env.DINGTALK_LOGIN_BASE = process.env.DINGTALK_LOGIN_BASE || dingtalkSim;
  env.DINGTALK_CUSTOM_ROBOTS = JSON.stringify({
    'city-group': { accessToken: env.DINGTALK_CUSTOM_ROBOT_TOKEN, secret: env.DINGTALK_CUSTOM_ROBOT_SECRET },
  });
  env.SIM_WECOM_CONSOLE_URL = `http://127.0.0.1:${env.SIM_PORT}/`;
  env.SIM_DINGTALK_CONSOLE_URL = `${dingtalkSim}/`;
  return env;
}

module.exports = { demoEnv, randomAlnum };

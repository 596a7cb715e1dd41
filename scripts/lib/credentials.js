// Throwaway WeCom app credentials for a test run or a benchmark (never for a deployment).
const crypto = require('crypto');

/** A fresh self-built app: its secret, callback Token and a valid 43-character EncodingAESKey. */
function randomWecomApp(corpId) {
  return {
    corpId,
    agentId: '1000002',
    secret: crypto.randomBytes(16).toString('hex'),
    token: crypto.randomBytes(8).toString('hex'),
    encodingAesKey: crypto.randomBytes(32).toString('base64').replace(/=+$/, ''),
  };
}

/** The environment variables that point the services at a WeCom app (real or simulated). */
function wecomAppEnv(app, apiBase) {
  return {
    WECOM_CORP_ID: app.corpId,
    WECOM_AGENT_ID: app.agentId,
    WECOM_SECRET: app.secret,
    WECOM_TOKEN: app.token,
    WECOM_ENCODING_AES_KEY: app.encodingAesKey,
    WECOM_API_BASE: apiBase,
  };
}

module.exports = { randomWecomApp, wecomAppEnv };

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

module.exports = { randomWecomApp };

// A PostgreSQL SCRAM-SHA-256 password verifier (the form pg_authid stores), computed here so
// that `ALTER ROLE … PASSWORD` never carries the password itself: nothing readable reaches the
// server's statement log, as with psql's \password. Format and derivation: RFC 5802 / RFC 7677,
// PostgreSQL's src/common/scram-common.c (scram_build_secret).
const crypto = require('crypto');

const ITERATIONS = 4096; // PostgreSQL's default scram_iterations

const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();

/**
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` for `password`.
 * Only for passwords that SASLprep leaves unchanged (ASCII letters and digits, as generated here).
 */
function scramSha256Verifier(password, { salt = crypto.randomBytes(16), iterations = ITERATIONS } = {}) {
  if (!/^[\x21-\x7e]+$/.test(password)) throw new Error('password must be printable ASCII (SASLprep is not applied)');
  const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

module.exports = { scramSha256Verifier };

import crypto from 'crypto';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { scramSha256Verifier } = require('./scram-verifier');

// RFC 7677, section 3: user "user", password "pencil", and the exchange that proves it.
const SALT = 'W22ZaJ0SNY7soEsUEjb6gQ==';
const NONCE = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const AUTH_MESSAGE = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${NONCE},s=${SALT},i=4096,c=biws,r=${NONCE}`;
const CLIENT_PROOF = 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_SIGNATURE = '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();

function parse(verifier: string) {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) throw new Error(`not a SCRAM verifier: ${verifier}`);
  return { iterations: Number(m[1]), salt: m[2], storedKey: Buffer.from(m[3], 'base64'), serverKey: Buffer.from(m[4], 'base64') };
}

describe('SCRAM-SHA-256 verifier', () => {
  const v = parse(scramSha256Verifier('pencil', { salt: Buffer.from(SALT, 'base64') }));

  it('lets the server sign the RFC 7677 exchange exactly as the RFC shows', () => {
    expect(v.iterations).toBe(4096);
    expect(v.salt).toBe(SALT);
    expect(hmac(v.serverKey, AUTH_MESSAGE).toString('base64')).toBe(SERVER_SIGNATURE);
  });

  it("accepts the RFC client's proof: its ClientKey hashes to the StoredKey", () => {
    const signature = hmac(v.storedKey, AUTH_MESSAGE);
    const proof = Buffer.from(CLIENT_PROOF, 'base64');
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
    expect(crypto.createHash('sha256').update(clientKey).digest().equals(v.storedKey)).toBe(true);
  });

  it('salts every verifier afresh and never contains the password', () => {
    const a = scramSha256Verifier('pencil');
    expect(a).not.toBe(scramSha256Verifier('pencil'));
    expect(a).not.toContain('pencil');
  });

  it('refuses passwords SASLprep would change instead of storing a verifier no client matches', () => {
    expect(() => scramSha256Verifier('密码')).toThrow(/ASCII/);
    expect(() => scramSha256Verifier('with space')).toThrow(/ASCII/);
  });
});

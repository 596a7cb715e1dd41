// The bare baseline for the benchmark: only the unavoidable work for one WeCom callback
// (verify the signature, decrypt, parse, one INSERT), in one process with no mesh. The
// benchmark runs it on the same data as the mesh so the mesh's overhead reads as a ratio.
require('../paths');
const http = require('http');
const { Pool } = require('pg');
const { WecomCrypto, parseWecomXml } = require('@zs/channels');

const env = process.env;
const crypto = new WecomCrypto(env.WECOM_TOKEN, env.WECOM_ENCODING_AES_KEY, env.WECOM_CORP_ID);
const pool = new Pool({ connectionString: env.DATABASE_URL, max: 20 });

function query(url) {
  const out = {};
  const q = url.indexOf('?');
  if (q < 0) return out;
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

async function main() {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline (msg_id text PRIMARY KEY, sender text NOT NULL, text text NOT NULL)`);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const q = query(req.url);
        const outer = parseWecomXml(Buffer.concat(chunks).toString('utf8'));
        if (!crypto.verifySignature(q.msg_signature, q.timestamp, q.nonce, outer.Encrypt)) {
          res.writeHead(403).end();
          return;
        }
        const f = parseWecomXml(crypto.decrypt(outer.Encrypt));
        await pool.query(`INSERT INTO bench_baseline (msg_id, sender, text) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          f.MsgId,
          f.FromUserName,
          f.Content,
        ]);
        res.writeHead(200).end();
      } catch (e) {
        res.writeHead(400).end(String(e.message));
      }
    });
  });
  server.listen(Number(env.BASELINE_PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import fs from 'fs';
import path from 'path';
import { NATS_AUTH_FILES, renderHelmAuthValues, renderServerAuthConf } from '../nats-deploy';

/**
 * Writes deploy/nats/auth.conf and deploy/nats/values-auth.yaml from the contracts.
 *   npm run nats:auth                      # NAMESPACE zs
 *   npm run nats:auth -- --namespace zs,zs2 # several deployments on one NATS cluster
 */
const root = path.resolve(__dirname, '../../../../..');
const i = process.argv.indexOf('--namespace');
const namespaces = (i > 0 ? process.argv[i + 1] : process.env.NAMESPACE || 'zs').split(',').filter(Boolean);
fs.writeFileSync(path.join(root, NATS_AUTH_FILES.serverConf), renderServerAuthConf(namespaces));
fs.writeFileSync(path.join(root, NATS_AUTH_FILES.helmValues), renderHelmAuthValues(namespaces));
process.stdout.write(`wrote ${NATS_AUTH_FILES.serverConf} and ${NATS_AUTH_FILES.helmValues} for ${namespaces.join(', ')}\n`);

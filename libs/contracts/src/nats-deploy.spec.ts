import fs from 'fs';
import path from 'path';
import { NATS_AUTH_FILES, renderHelmAuthValues, renderServerAuthConf } from './nats-deploy';

const root = path.resolve(__dirname, '../../..');

describe('NATS authorization in deploy/ follows the contracts', () => {
  it.each([
    [NATS_AUTH_FILES.serverConf, () => renderServerAuthConf(['zs'])],
    [NATS_AUTH_FILES.helmValues, () => renderHelmAuthValues(['zs'])],
  ])('%s is the generated one (run `npm run build && npm run nats:auth` after changing subjects)', (file, render) => {
    expect(fs.readFileSync(path.join(root, file), 'utf8')).toBe(render());
  });

  it('takes every password from the environment, none written in the files', () => {
    const conf = renderServerAuthConf(['zs']);
    expect(conf.match(/password: \$ZS_NATS_PASSWORD_[A-Z_]+/g)).toHaveLength(6);
    expect(renderHelmAuthValues(['zs']).match(/password: << \$ZS_NATS_PASSWORD_[A-Z_]+ >>/g)).toHaveLength(6);
  });
});

import 'reflect-metadata';
import fs from 'fs';
import path from 'path';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ADMIN_AREAS } from '@zs/domain';
import { HealthController, MetricsController, PUBLIC_ROUTE_KEY } from '@zs/platform';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { ADMIN_AREA_KEY } from './admin-area';

/** Every controller class of the gateway (all its source files but main.ts) and the platform's. */
function controllers(): Function[] {
  const found = new Set<Function>([HealthController, MetricsController]);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.spec.ts') && !p.endsWith('.d.ts') && p !== path.join(__dirname, '..', 'main.ts')) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        for (const v of Object.values(require(p) as Record<string, unknown>)) {
          if (typeof v === 'function' && Reflect.hasMetadata(PATH_METADATA, v)) found.add(v);
        }
      }
    }
  };
  walk(path.join(__dirname, '..'));
  return [...found];
}

interface RouteCheck {
  route: string;
  public: boolean;
  guarded: boolean;
  area: string | undefined;
}

function routes(): RouteCheck[] {
  const out: RouteCheck[] = [];
  for (const c of controllers()) {
    for (const name of Object.getOwnPropertyNames(c.prototype)) {
      const handler = c.prototype[name];
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const guards = [...(Reflect.getMetadata(GUARDS_METADATA, c) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])];
      out.push({
        route: `${c.name}.${name} (${Reflect.getMetadata(PATH_METADATA, c)}/${Reflect.getMetadata(PATH_METADATA, handler)})`,
        public: Boolean(Reflect.getMetadata(PUBLIC_ROUTE_KEY, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE_KEY, c)),
        guarded: guards.includes(AdminAuthGuard),
        area: Reflect.getMetadata(ADMIN_AREA_KEY, handler) ?? Reflect.getMetadata(ADMIN_AREA_KEY, c),
      });
    }
  }
  return out;
}

describe('every HTTP route of the gateway is guarded or deliberately public (ADR 0021)', () => {
  const all = routes();

  it('finds the routes (the scan works)', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(all.some((r) => r.route.startsWith('AuthController.login') && r.public)).toBe(true);
    expect(all.some((r) => r.route.startsWith('LedgerController.transfer') && r.guarded)).toBe(true);
  });

  it('has no route that is neither guarded by AdminAuthGuard nor marked @Public()', () => {
    expect(all.filter((r) => !r.guarded && !r.public).map((r) => r.route)).toEqual([]);
  });

  it('gives every guarded route an access area of the policy', () => {
    expect(all.filter((r) => r.guarded && !(ADMIN_AREAS as readonly string[]).includes(String(r.area))).map((r) => r.route)).toEqual([]);
  });

  it('keeps the public routes to health, metrics, platform callbacks and sign-in', () => {
    const open = all.filter((r) => r.public && !r.guarded).map((r) => r.route.split(' ')[0].split('.')[0]);
    expect([...new Set(open)].sort()).toEqual(['AuthController', 'DingtalkCallbackController', 'HealthController', 'MetricsController', 'WecomAibotCallbackController', 'WecomCallbackController']);
  });
});

// The import boundaries of eslint.config.mjs fire on the imports they are meant to stop (the
// repository itself lints clean in `npm test`, so this proves the rules are not asleep).
// ESLint runs as its own process: its flat config is an ES module, which Jest's CommonJS
// sandbox cannot load.
import path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.resolve(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

async function problems(file: string, code: string): Promise<string[]> {
  const r = spawnSync(process.execPath, [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', file], {
    cwd: ROOT,
    input: code,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(r.stdout) as { messages: { line: number; ruleId: string }[] }[];
  return result.messages.map((m) => `${m.line}:${m.ruleId}`);
}

describe('lint: import boundaries', () => {
  it('libs/domain imports no other lib of the repo and no framework', async () => {
    const found = await problems(
      'libs/domain/src/boundary-probe.ts',
      [
        "import { Injectable } from '@nestjs/common';",
        "import { DataSource } from 'typeorm';",
        "import { connect } from 'nats';",
        "import Redis from 'ioredis';",
        "import { subjects } from '@zs/contracts';",
        "import { x } from '../../persistence/src';",
        "import { normalizeCompanyName } from './lead/company-name';",
        'export const a = [Injectable, DataSource, connect, Redis, subjects, x, normalizeCompanyName];',
      ].join('\n'),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        '1:no-restricted-imports',
        '2:no-restricted-imports',
        '3:no-restricted-imports',
        '4:no-restricted-imports',
        '5:no-restricted-imports',
        '6:import-x/no-restricted-paths',
      ]),
    );
    expect(found.filter((p) => p.startsWith('7:'))).toEqual([]);
  });

  it('an app never imports another app, not even by a relative path', async () => {
    const found = await problems(
      'apps/scoring/src/boundary-probe.ts',
      ["import { x } from '../../lead-intake/src/main';", "import { y } from './main';", 'export const a = [x, y];'].join('\n'),
    );
    expect(found).toEqual(['1:import-x/no-restricted-paths']);
  });

  it('the simulators are imported only by tests and scripts', async () => {
    const code = "import { WecomSimulator } from '@zs/platform-sim';\nexport const a = WecomSimulator;\n";
    expect(await problems('apps/bot-gateway/src/boundary-probe.ts', code)).toEqual(
      expect.arrayContaining(['1:no-restricted-imports', '1:import-x/no-restricted-paths']),
    );
    expect(await problems('libs/persistence/src/boundary-probe.ts', code)).toContain('1:no-restricted-imports');
    expect(await problems('apps/bot-gateway/src/boundary-probe.spec.ts', code)).toEqual([]);
    expect(await problems('test/e2e/boundary-probe.test.ts', code)).toEqual([]);
  });

  it('every HTTP route of a controller is guarded or explicitly public (NATS handlers are left to NATS permissions)', async () => {
    const code = [
      "import { Controller, Get, Post, UseGuards } from '@nestjs/common';",
      "import { MessagePattern } from '@nestjs/microservices';",
      "import { PublicEndpoint } from '@zs/platform';",
      "import { AdminAuthGuard } from './admin/admin-auth.guard';",
      "@Controller('admin/open')",
      'export class Open {',
      '  @Get() list() { return []; }',
      '  @UseGuards(AdminAuthGuard) @Post() add() { return 1; }',
      "  @PublicEndpoint('probe') @Get('ping') ping() { return 1; }",
      "  @MessagePattern('x') rpc() { return 1; }",
      '}',
      "@UseGuards(AdminAuthGuard) @Controller('admin/closed')",
      'export class Closed { @Get() list() { return []; } }',
      "@PublicEndpoint('') @Controller('x')",
      'export class NoReason { @Get() list() { return []; } }',
      'export const all = [Open, Closed, NoReason];',
    ].join('\n');
    expect(await problems('apps/bot-gateway/src/controller-probe.ts', code)).toEqual(['7:zs/controller-guarded', '14:zs/controller-guarded']);
  });
});

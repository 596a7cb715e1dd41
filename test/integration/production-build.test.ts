// The WeCom / DingTalk simulators (libs/platform-sim) are development tools: the production
// build (tsconfig.build.json, which the image compiles) and the image's build context leave
// them out, while the development build (tsconfig.dev.json, used by `npm start` and
// `npm run bench`) still compiles the consoles `npm start` runs.
import fs from 'fs';
import path from 'path';
import { execFileSync } from 'child_process';

const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function compiledFiles(project: string): string[] {
  const out = execFileSync(process.execPath, [TSC, '-p', project, '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => f && !f.includes('/node_modules/'))
    .map((f) => path.relative(ROOT, f));
}

describe('production build and image', () => {
  it('the production build compiles every service but no file of libs/platform-sim', () => {
    const files = compiledFiles('tsconfig.build.json');
    expect(files).toContain('apps/bot-gateway/src/main.ts');
    expect(files).toContain('apps/scheduler/src/main.ts');
    expect(files).toContain('libs/persistence/src/cli/migrate.ts');
    expect(files.filter((f) => f.startsWith('libs/platform-sim/'))).toEqual([]);
  });

  it('the development build compiles both simulator consoles that npm start runs', () => {
    const files = compiledFiles('tsconfig.dev.json');
    expect(files).toEqual(
      expect.arrayContaining(['libs/platform-sim/src/cli/run-wecom-sim.ts', 'libs/platform-sim/src/cli/run-dingtalk-sim.ts']),
    );
    const start = fs.readFileSync(path.join(ROOT, 'scripts', 'start.js'), 'utf8');
    expect(start).toContain("run('npx tsc -p tsconfig.dev.json')");
    expect(start).toContain('dist/libs/platform-sim/src/cli/run-wecom-sim.js');
  });

  it('the image build leaves libs/platform-sim out of its context and fails if it appears in dist', () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, 'deploy', 'docker', 'Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignore).toContain('libs/platform-sim');
    const dockerfile = fs.readFileSync(path.join(ROOT, 'deploy', 'docker', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN npx tsc -p tsconfig.build.json');
    expect(dockerfile).toContain('if [ -e dist/libs/platform-sim ]; then');
    expect(dockerfile).not.toMatch(/tsconfig\.dev\.json/);
  });
});

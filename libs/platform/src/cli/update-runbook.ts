import fs from 'fs';
import path from 'path';
import { renderRunbook } from '../retry-policy';

/** `npm run docs:runbook`: rewrites the generated figures in docs/operations.md from the code's constants. */
const file = path.resolve(__dirname, '../../../../../docs/operations.md');
fs.writeFileSync(file, renderRunbook(fs.readFileSync(file, 'utf8')));
process.stdout.write(`updated ${path.relative(process.cwd(), file)}\n`);

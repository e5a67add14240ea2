// npm run mutate [-- --mutate <glob or file>[,<more>]]: Stryker over the security modules, then the score per file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const child = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs', ...args], {
  stdio: 'inherit',
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
if (child.status !== 0) process.exit(child.status ?? 1);

const report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
console.log('\nMutation score per file (killed + timed out) / (killed + timed out + survived + no coverage):');
for (const [file, { mutants }] of Object.entries(report.files).sort()) {
  const detected = mutants.filter((mutant) => DETECTED.has(mutant.status)).length;
  const undetected = mutants.filter((mutant) => UNDETECTED.has(mutant.status));
  const total = detected + undetected.length;
  const score = total === 0 ? 'n/a' : `${((100 * detected) / total).toFixed(1)}%`;
  console.log(`  ${file}: ${score} (${detected}/${total}; ${mutants.length - total} ignored or not valid)`);
  for (const mutant of undetected) console.log(`    ${mutant.status} ${mutant.mutatorName} line ${mutant.location.start.line}: ${JSON.stringify(mutant.replacement ?? '')}`);
}

// npm run bench, migration directories (issue 12): the userMigration bundle's cold-start cost per
// LEGACY_DIRECTORY (require + the chosen directory's dynamic import, until the handler is ready), and the
// warm handler time ÷ the bare password check per directory against local servers (directories-warm.ts).
// Called from scripts/bench.mjs; returns Markdown lines. Knobs: BENCH_DIRECTORY_RUNS (default 15), BENCH_SKIP_DIRECTORIES=1.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { childEnv, errorLine, runChild, summary } from './common.mjs';

const require = createRequire(import.meta.url);

/** Settings that pass each directory's cold-start validation; nothing is contacted before the first sign-in. */
export const DIRECTORY_ENV = {
  dynamodb: { LEGACY_DIRECTORY: 'dynamodb', LEGACY_USERS_TABLE: 'bench-legacy-users' },
  ldap: { LEGACY_DIRECTORY: 'ldap', LDAP_URL: 'ldaps://127.0.0.1:1636', LDAP_BIND_DN: 'cn=svc,dc=example,dc=test', LDAP_BASE_DN: 'dc=example,dc=test', LEGACY_DIRECTORY_SECRET: 'bench' },
  postgres: { LEGACY_DIRECTORY: 'postgres', LEGACY_DB_HOST: '127.0.0.1', LEGACY_DB_NAME: 'legacy', LEGACY_DB_USER: 'migrator', LEGACY_DIRECTORY_SECRET: 'bench' },
  mysql: { LEGACY_DIRECTORY: 'mysql', LEGACY_DB_HOST: '127.0.0.1', LEGACY_DB_NAME: 'legacy', LEGACY_DB_USER: 'migrator', LEGACY_DIRECTORY_SECRET: 'bench' },
  http: { LEGACY_DIRECTORY: 'http', LEGACY_HTTP_URL: 'https://127.0.0.1:1443/login', LEGACY_DIRECTORY_SECRET: 'bench' },
  cognito: { LEGACY_DIRECTORY: 'cognito', LEGACY_COGNITO_USER_POOL_ID: 'us-east-1_Bench1234', LEGACY_COGNITO_CLIENT_ID: 'benchclient' },
};

// The child reports how long `require` took and how long until the handler's directory was ready (an
// invalid event is refused only after the dynamic import has settled), plus its own CPU time.
const PROBE = (file) => `
const t0 = performance.now();
const m = require(${JSON.stringify(file)});
const t1 = performance.now();
m.handler({}).catch(() => undefined).then(() => {
  const t2 = performance.now(); const u = process.cpuUsage();
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, readyMs: t2 - t0, cpuMs: (u.user + u.system) / 1000 }));
});`;

export async function directoryBench({ root, tsx, log, quick = false, failed = () => undefined }) {
  if (process.env.BENCH_SKIP_DIRECTORIES === '1') return { lines: [], results: { skipped: true } };
  const runs = Number(process.env.BENCH_DIRECTORY_RUNS ?? (quick ? 2 : 15));
  const { FUNCTIONS, bundleOptions } = require(join(root, 'esbuild.config.cjs'));
  const work = mkdtempSync(join(tmpdir(), 'bench-directories-'));
  const lines = [];
  try {
    // As deployed: one bundle per directory, the others' drivers left out (esbuild.config.cjs directoryDefine);
    // and the all-in-one bundle (no LEGACY_DIRECTORY_BUNDLE), where LDAP, SQL and the API are present but not evaluated.
    const { directoryDefine } = require(join(root, 'esbuild.config.cjs'));
    const kinds = Object.keys(DIRECTORY_ENV);
    const files = {};
    for (const kind of [...kinds, 'all']) {
      const outdir = join(work, kind);
      await build({ ...bundleOptions, define: kind === 'all' ? {} : directoryDefine(kind), entryPoints: { userMigration: join(root, FUNCTIONS.userMigration) }, outdir, logLevel: 'silent' });
      files[kind] = join(outdir, 'userMigration.js');
    }
    log(`directories: cold start of the userMigration bundle per LEGACY_DIRECTORY, ${runs} interleaved rounds`);
    const targets = [['baseline', undefined, 'baseline'], ...kinds.map((k) => [k, files[k], k]), ...kinds.map((k) => [`all:${k}`, files.all, k])];
    const samples = Object.fromEntries(targets.map(([key]) => [key, { wall: [], require: [], ready: [], cpu: [] }]));
    for (let round = 0; round < runs; round++) {
      for (const [key, file, kind] of targets) {
        const args = file === undefined ? ['-e', 'const u = process.cpuUsage(); process.stdout.write(JSON.stringify({ requireMs: 0, readyMs: 0, cpuMs: (u.user + u.system) / 1000 }))'] : ['-e', PROBE(file)];
        const started = performance.now();
        const result = spawnSync(process.execPath, args, { env: childEnv({ ...(DIRECTORY_ENV[kind] ?? {}), POWERTOOLS_LOG_LEVEL: 'SILENT' }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        const wall = performance.now() - started;
        if (result.status !== 0) throw new Error(`${key}: ${errorLine(result.stderr)}`);
        const probe = JSON.parse(result.stdout);
        const s = samples[key];
        s.wall.push(wall);
        s.require.push(probe.requireMs);
        s.ready.push(probe.readyMs);
        s.cpu.push(probe.cpuMs);
      }
    }
    const base = summary(samples.baseline.wall).median;
    const baseCpu = summary(samples.baseline.cpu).median;
    const f = (n) => n.toFixed(1);
    const kb = (file) => (readFileSync(file).length / 1024).toFixed(1);
    lines.push(`### Migration directories: cold start per LEGACY_DIRECTORY`, '');
    lines.push(
      `Deployed bundle = the userMigration bundle serverless-esbuild builds for that LEGACY_DIRECTORY (esbuild.config.cjs folds the other directories away). All-in-one = the same entry built without a directory (${kb(files.all)} KB): LDAP, SQL and API drivers present as lazily evaluated modules (dynamic \`import()\`), the DynamoDB and Cognito clients (shared/aws) imported statically. A fresh \`node\` requires the bundle and waits until the chosen directory is loaded (handler ready). Medians of ${runs} interleaved rounds; "over bare node" = child wall time minus bare \`node -e\` (${f(base)} ms).`,
      '',
    );
    lines.push('| LEGACY_DIRECTORY | deployed bundle KB | wall ms over bare node | require → handler ready ms (in child) | CPU ms over bare node | all-in-one: wall ms over bare node | all-in-one: ready ms (in child) |', '|---|---|---|---|---|---|---|');
    const rows = {};
    for (const kind of kinds) {
      const s = samples[kind];
      const a = samples[`all:${kind}`];
      const row = {
        bundleKB: Number(kb(files[kind])),
        overBare: summary(s.wall).median - base,
        readyMs: summary(s.ready).median,
        cpuOverBare: summary(s.cpu).median - baseCpu,
        allInOneOverBare: summary(a.wall).median - base,
        allInOneReadyMs: summary(a.ready).median,
      };
      rows[kind] = row;
      lines.push(`| ${kind} | ${row.bundleKB} | +${f(row.overBare)} | ${f(row.readyMs)} | +${f(row.cpuOverBare)} | +${f(row.allInOneOverBare)} | ${f(row.allInOneReadyMs)} |`);
    }
    const size = readFileSync(files.all).length;
    lines.push('');
    let warm;
    if (process.env.BENCH_SKIP_DIRECTORY_SERVERS !== '1') {
      log('directories: warm handler vs bare password check against local servers (slapd, PostgreSQL, MariaDB, HTTPS, cognito-local)');
      const out = join(work, 'warm.json');
      try {
        const warmRuns = process.env.BENCH_DIRECTORY_WARM_RUNS ?? (quick ? '3' : '30');
        runChild(tsx, [join(root, 'scripts/bench/directories-warm.ts'), out], { env: childEnv({ POWERTOOLS_LOG_LEVEL: 'SILENT', BENCH_DIRECTORY_WARM_RUNS: warmRuns }), stdio: ['ignore', 'ignore', 'pipe'], cwd: root });
        warm = JSON.parse(readFileSync(out, 'utf8'));
        for (const row of warm.rows) if (String(row.skipped ?? '').startsWith('failed')) failed(`directories warm ${row.directory}`, row.skipped);
      } catch (error) {
        warm = { error: String(error.message).split('\n').slice(0, 3).join(' ') };
        failed('directories warm', error);
      }
      lines.push('### Migration directories: warm handler time ÷ bare password check, local servers', '');
      if (warm.error) lines.push(`FAILED: ${warm.error}`, '');
      else {
        lines.push(
          'Bare check = the cheapest call that checks the password in that directory (bcrypt-10 compare for SQL, a bind on a fresh connection for LDAP, one POST for the API, AdminInitiateAuth for a Cognito pool); handler = the whole userMigration handler with that directory (every look-up included). Paired runs, median (min–max) ms.',
          '',
          '| directory | bare check ms | handler ms | handler ÷ bare (paired) | runs |',
          '|---|---|---|---|---|',
        );
        const r = (s) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
        for (const row of warm.rows) {
          lines.push(row.skipped ? `| ${row.directory} | skipped: ${row.skipped} | | | |` : `| ${row.directory} | ${r(row.bare)} | ${r(row.handler)} | ${r(row.ratio)} | ${row.bare.n} |`);
        }
        lines.push('');
      }
    }
    return { lines, results: { bundleBytes: size, baselineMs: base, importPerDirectory: rows, warm } };
  } catch (error) {
    failed('directories cold start', error);
    return { lines: [`Migration directories bench FAILED: ${String(error.message).split('\n')[0]}`, ''], results: { error: error.message } };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Alone: node scripts/bench/directories.mjs
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(new URL('.', import.meta.url).pathname, '..', '..');
  const { lines, results } = await directoryBench({ root, tsx: join(root, 'node_modules', '.bin', 'tsx'), log: (m) => process.stderr.write(`bench: ${m}\n`) });
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(`${JSON.stringify(results)}\n`);
}

// Prints the hash cost caps shared/passwords/limits.ts derives at each memory size (the README's format
// table), and with --measure times one check at each format's cap for the longest password Cognito accepts
// on this machine, next to the cost model's estimate and the time budget.
// Usage: npm run caps [-- --measure [--memory <MB>]]
import { hashBudget, costCap, COST_MODELS, expectedCheckMs, MAX_PASSWORD_CHARACTERS, MODEL_SAFETY_FACTOR, useMemorySize } from '../shared/passwords/limits.js';
import { HASH_FORMATS, type HashFormat } from '../shared/passwords/types.js';
import { verifyPassword } from '../shared/passwords/index.js';
import { makeHash } from '../test/unit/passwords/hashers.js';

const MEMORY_SIZES = [128, 256, 512, 1024, 1769];
const args = process.argv.slice(2);

function showCap(format: HashFormat, memoryMb: number): string {
  const budget = hashBudget(memoryMb);
  const cap = costCap(format, budget);
  if (cap === undefined) return 'any';
  const model = COST_MODELS[format];
  if (model === 'fixed') return 'any';
  if (model.unit === 'log2 rounds') return model.max === 15 ? String(cap) : `2^${cap}`; // bcrypt's cost is its own exponent
  if (model.unit === 'KiB × passes') return `m×t ≤ ${Math.round(cap / 1024)} MiB·passes, m ≤ ${Math.min(budget.hashMemoryKiB / 1024, 256)} MiB`;
  return cap >= 1_000_000 ? `${(cap / 1_000_000).toFixed(cap % 100_000 === 0 ? 1 : 2)}M` : `${Math.round(cap / 1000)}k`;
}

function table(): void {
  console.log(`| Format | ${MEMORY_SIZES.map((mb) => `${mb} MB`).join(' | ')} |`);
  console.log(`|---|${MEMORY_SIZES.map(() => '---').join('|')}|`);
  for (const format of HASH_FORMATS) {
    if (COST_MODELS[format] === 'fixed') continue;
    console.log(`| ${format} | ${MEMORY_SIZES.map((mb) => showCap(format, mb)).join(' | ')} |`);
  }
  const budgets = MEMORY_SIZES.map((mb) => `${mb} MB: ${Math.round(hashBudget(mb).checkReferenceMs)} ms`).join(', ');
  console.log(`\nBudget per check on the reference core (after the safety factor ${MODEL_SAFETY_FACTOR}): ${budgets}.`);
}

async function hashAtCap(format: HashFormat, password: string, cap: number): Promise<string | undefined> {
  switch (format) {
    case 'bcrypt':
      return makeHash.bcrypt(password, cap);
    case 'django-pbkdf2-sha256':
      return makeHash.pbkdf2Sha256(password, cap);
    case 'django-pbkdf2-sha1':
      return makeHash.pbkdf2Sha1(password, cap);
    case 'phpass':
      return makeHash.phpass(password, cap);
    case 'argon2id': {
      const memoryKiB = Math.min(hashBudget(1769).hashMemoryKiB, 256 * 1024);
      const t = Math.max(1, Math.floor(cap / memoryKiB));
      return makeHash.argon2id(password, Math.floor(Math.min(memoryKiB, cap / t)), t);
    }
    default:
      return undefined;
  }
}

async function measure(memoryMb: number): Promise<void> {
  const budget = useMemorySize(memoryMb)!;
  // The longest password Cognito accepts, in 4-byte characters: the case the caps are derived for.
  const password = '\u{1F511}'.repeat(MAX_PASSWORD_CHARACTERS);
  console.log(`\nOne check at each cap, ${memoryMb} MB caps timed on this machine (one core = ${budget.cpuShare.toFixed(2)} of it expected in Lambda).`);
  console.log(`Wall budget per check in Lambda: ${Math.round(budget.checkWallMs)} ms.`);
  console.log('| Format | Cost | Wall here (ms) | CPU time (ms) | Model (ms) | CPU ÷ model | Lambda estimate (ms) = CPU ÷ CPU share |');
  console.log('|---|---|---|---|---|---|---|');
  for (const format of HASH_FORMATS) {
    const cap = costCap(format, budget);
    if (cap === undefined) continue;
    const hash = await hashAtCap(format, password, cap);
    if (hash === undefined) continue;
    // Wall time depends on what else runs on this shared machine; CPU time (all threads: PBKDF2 runs in
    // libuv's pool) is what one check costs an otherwise idle core, which is what Lambda gives.
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const check = await verifyPassword(password, hash);
      const used = process.cpuUsage(cpuStarted);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
      if (!check.ok) throw new Error(`${format} at its cap was not verified: ${JSON.stringify(check)}`);
    }
    const middle = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    const argon = /m=(\d+),t=(\d+)/.exec(hash);
    const cost = argon ? Number(argon[1]) * Number(argon[2]) : cap;
    const model = expectedCheckMs(format, cost, 4 * MAX_PASSWORD_CHARACTERS, hashBudget(1769));
    const shown = argon ? `m=${argon[1]}, t=${argon[2]}` : showCap(format, memoryMb);
    console.log(
      `| ${format} | ${shown} | ${middle(wall).toFixed(0)} | ${middle(cpu).toFixed(0)} | ${model.toFixed(0)} | ${(middle(cpu) / model).toFixed(2)} | ${(middle(cpu) / budget.cpuShare).toFixed(0)} |`,
    );
  }
}

async function main(): Promise<void> {
  table();
  if (args.includes('--measure')) {
    const at = args.indexOf('--memory');
    await measure(at >= 0 ? Number(args[at + 1]) : 1769);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

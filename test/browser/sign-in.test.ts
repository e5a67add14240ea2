import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_POOL_USER } from '../../local/cognito/wiring.js';
import { runWebDemo } from '../../local/web/run.js';

/**
 * The sign-in page of `npm run demo -- --web` in Debian's headless Chromium, against the local
 * Cognito endpoint running the suite's triggers: Amplify in the browser, SRP included.
 * Screenshots are kept in test-artifacts/ (git-ignored).
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const available = existsSync(CHROMIUM);
if (!available) process.stderr.write(`Skipping the browser test: ${CHROMIUM} is missing; install the Debian package \`chromium\` (apt-get install chromium).\n`);

let demo: Awaited<ReturnType<typeof runWebDemo>>;
let context: BrowserContext;
let profile: string;
const STEP = 60_000; // a loaded 2-core machine can be slow to start a browser and bundle the page

async function codeIn(kind: 'email' | 'sms', address: string): Promise<string> {
  const bodies =
    kind === 'email'
      ? (await demo.aws.ses.emails()).filter((email) => email.to.includes(address)).map((email) => email.text ?? '')
      : demo.aws.sms.messages.filter((sms) => sms.phoneNumber === address).map((sms) => sms.message);
  const code = bodies.at(-1)?.match(/\b\d{6}\b/)?.[0];
  if (code === undefined) throw new Error(`no code was sent to ${address}`);
  return code;
}

async function signInWithCode(page: Page, username: string, mode: 'passwordless' | 'password', password = '') {
  await page.goto(demo.url);
  await page.fill('#username', username);
  await page.check(`input[name=mode][value=${mode}]`);
  if (mode === 'password') await page.fill('#password', password);
  await page.click('#sign-in');
  await page.waitForSelector('#code-section:not([hidden])', { timeout: STEP });
}

describe.skipIf(!available)('the sign-in page in headless Chromium', () => {
  beforeAll(async () => {
    process.env.OTP_RESEND_COOLDOWN_SECONDS = '0'; // the test asks for the other channel right away
    demo = await runWebDemo();
    profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
    const root = process.getuid?.() === 0;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 120_000,
      args: [...(root ? ['--no-sandbox'] : []), '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    context.setDefaultTimeout(STEP);
    await mkdir(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await demo?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('signs in with a code: a wrong code first, then the code from the email; shows the token claims', async () => {
    const page = await context.newPage();
    await signInWithCode(page, SAMPLE_POOL_USER.email, 'passwordless');
    await expect(page.textContent('#code-hint')).resolves.toContain('by email to p***@e***.com');
    const code = await codeIn('email', SAMPLE_POOL_USER.email);
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.click('#confirm-code');
    await page.waitForSelector('#status.error');
    await expect(page.textContent('#status')).resolves.toContain('That code did not work');
    await page.fill('#code', code);
    await page.click('#confirm-code');
    await page.waitForSelector('#signed-in-section:not([hidden])');
    const idClaims = JSON.parse((await page.textContent('#id-claims')) ?? '{}') as Record<string, unknown>;
    expect(idClaims).toMatchObject({ email: SAMPLE_POOL_USER.email, tenant_id: 't-42', 'cognito:groups': ['admins'], token_use: 'id' });
    expect(JSON.parse((await page.textContent('#access-claims')) ?? '{}')).toMatchObject({ scope: expect.stringContaining('orders-api/admin') });
    await page.screenshot({ path: join(ARTIFACTS, 'web-sign-in.png'), fullPage: true });
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-section:not([hidden])');
    await page.close();
  }, 180_000);

  it('password then code (Amplify’s SRP in the browser), with the code sent again by SMS; the SMS viewer shows it', async () => {
    const page = await context.newPage();
    await signInWithCode(page, SAMPLE_POOL_USER.email, 'password', SAMPLE_POOL_USER.password);
    await page.click('#other-channel');
    await page.waitForFunction("document.getElementById('code-hint')?.textContent?.includes('by SMS')");
    const code = await codeIn('sms', SAMPLE_POOL_USER.phone);
    const viewer = await context.newPage();
    await viewer.goto(`${demo.url}sms`);
    await expect(viewer.textContent('body')).resolves.toContain(code);
    await viewer.close();
    await page.fill('#code', code);
    await page.click('#confirm-code');
    await page.waitForSelector('#signed-in-section:not([hidden])');
    await page.screenshot({ path: join(ARTIFACTS, 'web-second-factor.png'), fullPage: true });
    await page.click('#sign-out');
    await page.close();
  }, 180_000);

  it('signs up without a password and signs in with the code sent to the new address', async () => {
    const email = `web-${Date.now()}@example.com`;
    const page = await context.newPage();
    await page.goto(demo.url);
    await page.fill('#signup-email', email);
    await page.click('#sign-up');
    await page.waitForFunction("document.getElementById('status')?.textContent?.startsWith('Signed up')");
    await page.click('#sign-in');
    await page.waitForSelector('#code-section:not([hidden])');
    await page.fill('#code', await codeIn('email', email));
    await page.click('#confirm-code');
    await page.waitForSelector('#signed-in-section:not([hidden])');
    await expect(page.textContent('#who')).resolves.toContain(email);
    // The first code proved the address.
    expect(JSON.parse((await page.textContent('#id-claims')) ?? '{}')).toMatchObject({ email, email_verified: true });
    await page.close();
  }, 180_000);

  it('signs up with a password, confirms with the emailed code', async () => {
    const email = `web-pw-${Date.now()}@example.com`;
    const page = await context.newPage();
    await page.goto(demo.url);
    await page.fill('#signup-email', email);
    await page.fill('#signup-password', 'Web-Passw0rd!');
    await page.click('#sign-up');
    await page.waitForSelector('#confirm-sign-up-form:not([hidden])');
    await page.fill('#signup-code', await codeIn('email', email));
    await page.click('#confirm-sign-up');
    await page.waitForFunction("document.getElementById('status')?.textContent?.startsWith('Confirmed')");
    await page.screenshot({ path: join(ARTIFACTS, 'web-sign-up.png'), fullPage: true });
    await page.close();
  }, 180_000);
});

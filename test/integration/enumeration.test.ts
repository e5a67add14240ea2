import { describe, expect, it } from 'vitest';
import { type AuthResult, CognitoError, type HarnessOptions } from '../../local/cognitoHarness.js';
import { buildTriggers, challenge, lastCodeSentTo, useLocalSuite } from '../support/suite.js';

/**
 * Whether Create's answers tell who exists, row by row of the README's table ("Security notes and
 * abuse resistance"). The same script runs for a real user and for an unknown identifier of the same
 * kind: first sign-in, a second sign-in inside the cooldown (typed in another case), a wrong answer,
 * a request for the other channel, a resend inside the cooldown, and after the cooldown a new
 * sign-in and a channel request. What a client sees at each step is compared. Cognito resolves what
 * was typed to the real user's internal name (the `sub` here); the harness is given that name.
 */

const suite = useLocalSuite();
let counter = 0;
const unique = (prefix: string) => `${prefix}${(counter += 1)}${Date.now() % 100_000}`;

interface Seen {
  outcome: string;
  channel?: string | undefined;
  destination?: string | undefined;
  codeLength?: string | undefined;
  /** The same code as the step before (same expiry): reused, nothing new. */
  sameCode?: boolean;
}

/** Letters as "a" and digits as "0": the shape of a masked destination, for rows where the value itself differs. */
const shape = (masked: string | undefined) => masked?.replace(/\p{L}/gu, 'a').replace(/\d/g, '0');

async function script(env: Record<string, string>, users: HarnessOptions['users'], first: string, typedAgain: string, otherChannel: string, wrong: () => Promise<string>): Promise<Seen[]> {
  const { harness, clock } = buildTriggers(suite.aws, env);
  const cognito = harness({ users });
  const seen: Seen[] = [];
  let previousExpiry: string | undefined;
  const record = (result: AuthResult | CognitoError): AuthResult | undefined => {
    if (result instanceof CognitoError) {
      seen.push({ outcome: result.code });
      return undefined;
    }
    if (result.kind !== 'challenge') {
      seen.push({ outcome: result.kind });
      return undefined;
    }
    const { channel, destination, codeLength, expiresAt } = result.parameters;
    seen.push({ outcome: result.challengeName, channel, destination, codeLength, sameCode: expiresAt === previousExpiry });
    previousExpiry = expiresAt;
    return result;
  };
  const attempt = (run: () => Promise<AuthResult>) => run().catch((error: unknown) => (error instanceof CognitoError ? error : Promise.reject(error)));

  const s1 = challenge(record(await attempt(() => cognito.initiateAuth(first))) as AuthResult);
  record(await attempt(() => cognito.initiateAuth(typedAgain)));
  const wrongAnswer = await wrong();
  const s3 = challenge(record(await attempt(() => cognito.respond(s1.session, { answer: wrongAnswer }))) as AuthResult);
  const s4 = record(await attempt(() => cognito.respond(s3.session, { answer: '', clientMetadata: { otpChannel: otherChannel } })));
  if (s4?.kind === 'challenge') record(await attempt(() => cognito.respond(s4.session, { answer: '', clientMetadata: { otpResend: 'true' } })));
  clock.advance(31_000);
  const s6 = record(await attempt(() => cognito.initiateAuth(first)));
  if (s6?.kind === 'challenge') record(await attempt(() => cognito.respond(s6.session, { answer: '', clientMetadata: { otpChannel: otherChannel } })));
  return seen;
}

const ONE_EMAIL = { OTP_CHANNELS: 'EMAIL' };
const ONE_SMS = { OTP_CHANNELS: 'SMS' };
const BOTH = { OTP_CHANNELS: 'EMAIL,SMS' };

/** A real user (by internal name) and an unknown identifier of the same kind, run through the same script. */
async function realAndUnknown(env: Record<string, string>, real: { attributes: Record<string, string>; typed: string }, unknownTyped: string, otherChannel: string) {
  const sub = `sub-${unique('r')}`;
  const address = real.attributes.email_verified === 'true' ? real.attributes.email : real.attributes.phone_number_verified === 'true' ? real.attributes.phone_number : undefined;
  const wrongFor = async (to: string | undefined) => {
    if (to === undefined) return '000000';
    const code = await lastCodeSentTo(suite.aws, to);
    return code === '000000' ? '111111' : '000000';
  };
  const forReal = await script(env, { [sub]: { attributes: real.attributes } }, sub, sub, otherChannel, () => wrongFor(address));
  const flipped = unknownTyped.replace(/[a-z]/gi, (letter, index: number) => (index % 2 === 0 ? letter.toUpperCase() : letter.toLowerCase()));
  const forUnknown = await script(env, {}, unknownTyped, flipped, otherChannel, async () => '000000');
  return { forReal, forUnknown };
}

describe('enumeration-safe configurations: a real user and an unknown one look the same at every step', () => {
  it('OTP_CHANNELS=EMAIL, users sign in with their email (typed in any case)', async () => {
    const typed = `${unique('kim')}@Example.com`;
    const { forReal, forUnknown } = await realAndUnknown(ONE_EMAIL, { attributes: { email: typed.toLowerCase(), email_verified: 'true' }, typed }, `${unique('nobody')}@EXAMPLE.com`, 'SMS');
    // The masks come from different addresses here (a real and an unknown one); their first letters are the test's choice.
    expect(forUnknown.map((step) => ({ ...step, destination: shape(step.destination) }))).toEqual(forReal.map((step) => ({ ...step, destination: shape(step.destination) })));
    expect(forReal[0]).toMatchObject({ outcome: 'CUSTOM_CHALLENGE', channel: 'EMAIL', destination: expect.stringMatching(/^k\*\*\*@e\*\*\*\.com$/) });
    expect(forUnknown[0]).toMatchObject({ destination: 'n***@e***.com' });
  });

  it('OTP_CHANNELS=EMAIL, users sign in with their email: the same address typed by a real and an unknown user gives the same destination', async () => {
    const address = `${unique('Same')}@Example.ORG`;
    const real = await realAndUnknown(ONE_EMAIL, { attributes: { email: address, email_verified: 'true' }, typed: address }, address.toUpperCase(), 'SMS');
    expect(real.forUnknown).toEqual(real.forReal);
  });

  it('OTP_CHANNELS=EMAIL, a real user whose email is not verified (nothing is sent) looks like an unknown one', async () => {
    const address = `${unique('unverified')}@example.com`;
    const { forReal, forUnknown } = await realAndUnknown(ONE_EMAIL, { attributes: { email: address, email_verified: 'false' }, typed: address }, address, 'SMS');
    expect(forUnknown).toEqual(forReal);
  });

  it('OTP_CHANNELS=SMS, users sign in with their phone number', async () => {
    const phone = `+1212555${String(1000 + (counter % 9000)).padStart(4, '0')}`;
    counter += 1;
    const { forReal, forUnknown } = await realAndUnknown(ONE_SMS, { attributes: { phone_number: phone, phone_number_verified: 'true' }, typed: phone }, phone, 'EMAIL');
    expect(forUnknown).toEqual(forReal);
    expect(forReal[0]).toMatchObject({ channel: 'SMS', destination: `+*******${phone.slice(-4)}` });
  });
});

describe('configurations that are not enumeration-safe, and exactly what shows', () => {
  it('OTP_CHANNELS=EMAIL, users sign in with a phone number or a user name: only the destination differs, an invented address of the same shape', async () => {
    const { forReal, forUnknown } = await realAndUnknown(
      ONE_EMAIL,
      { attributes: { phone_number: '+12125550111', phone_number_verified: 'true', email: `${unique('pat')}@example.com`, email_verified: 'true' }, typed: '+12125550111' },
      '+12125550199',
      'SMS',
    );
    expect(forUnknown.map((step) => ({ ...step, destination: shape(step.destination) }))).toEqual(forReal.map((step) => ({ ...step, destination: shape(step.destination) })));
    expect(forUnknown[0]?.destination).not.toBe(forReal[0]?.destination);
  });

  it('OTP_CHANNELS=EMAIL,SMS: asking for the other channel shows a real user with both verified (refused inside the cooldown, a switch after it); an unknown user keeps the code', async () => {
    const address = `${unique('both')}@example.com`;
    const { forReal, forUnknown } = await realAndUnknown(BOTH, { attributes: { email: address, email_verified: 'true', phone_number: '+12125550122', phone_number_verified: 'true' }, typed: address }, address, 'SMS');
    // The same up to the first channel request.
    expect(forUnknown.slice(0, 3)).toEqual(forReal.slice(0, 3));
    expect(forReal[3]).toEqual({ outcome: 'UserLambdaValidationException' });
    expect(forUnknown[3]).toMatchObject({ channel: 'EMAIL', sameCode: true });
    // The second sign-in after the cooldown sends a new code, so its channel request is inside a cooldown again.
    expect(forReal.at(-1)).toEqual({ outcome: 'UserLambdaValidationException' });
    expect(forUnknown.at(-1)).toMatchObject({ channel: 'EMAIL', sameCode: true });
  });

  it('OTP_CHANNELS=EMAIL,SMS, a phone number typed: a real user with a verified email gets EMAIL, an unknown number SMS', async () => {
    const { forReal, forUnknown } = await realAndUnknown(
      BOTH,
      { attributes: { email: `${unique('lee')}@example.com`, email_verified: 'true', phone_number: '+12125550133', phone_number_verified: 'true' }, typed: '+12125550133' },
      '+12125550144',
      'SMS',
    );
    expect(forReal[0]?.channel).toBe('EMAIL');
    expect(forUnknown[0]?.channel).toBe('SMS');
  });
});

import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../local/cognitoHarness.js';
import { buildTriggers, challenge, lastCodeSentTo, messageCount, TEST_SECRET, useLocalSuite, USERS } from '../support/suite.js';

const suite = useLocalSuite();


function wrongCodeFor(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

/** Each test signs in as its own copy of a sample user, so code state never leaks between tests. */
let counter = 0;
function freshUser(template: keyof typeof USERS) {
  counter += 1;
  const name = `${template}-${counter}-${Date.now()}`;
  (USERS as Record<string, (typeof USERS)[keyof typeof USERS]>)[name] = USERS[template];
  return name;
}

describe('passwordless sign-in as Cognito orchestrates it', () => {
  it('signs in with the code sent by email, after one wrong answer', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    expect(first.parameters).toMatchObject({ channel: 'EMAIL', destination: 'j***@e***.com', codeLength: '6' });
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    const emails = await suite.aws.ses.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.from).toBe('Example <no-reply@example.com>');
    expect(emails[0]?.subject).toBe('Your Example sign-in code');
    expect(emails[0]?.html).toContain(code);

    const second = challenge(await cognito.respond(first.session, { answer: wrongCodeFor(code) }));
    expect(await messageCount(suite.aws)).toBe(1); // a wrong answer sends no new code
    expect(second.parameters.expiresAt).toBe(first.parameters.expiresAt);
    expect(await cognito.respond(second.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('signs in by SMS in the user’s language when the user has only a verified phone', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('sam');
    const first = challenge(await cognito.initiateAuth(user));
    expect(first.parameters).toMatchObject({ channel: 'SMS', destination: '+*******0100' });
    expect(suite.aws.sms.messages).toHaveLength(1);
    expect(suite.aws.sms.messages[0]?.attributes['AWS.SNS.SMS.SMSType']).toBe('Transactional');
    const code = await lastCodeSentTo(suite.aws, '+12125550100');
    expect(await cognito.respond(first.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('uses the code as a second factor after the password (SRP), and fails on a wrong password', async () => {
    const { harness } = buildTriggers(suite.aws, { OTP_ALLOW_PASSWORDLESS: 'false' });
    const cognito = harness();
    const user = freshUser('jo');
    const passwordStep = challenge(await cognito.initiateAuth(user, { password: 'x' }));
    expect(passwordStep.challengeName).toBe('PASSWORD_VERIFIER');
    expect(await messageCount(suite.aws)).toBe(0);
    const codeStep = challenge(await cognito.respond(passwordStep.session, { password: USERS.jo.password }));
    expect(codeStep.challengeName).toBe('CUSTOM_CHALLENGE');
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    expect(await cognito.respond(codeStep.session, { answer: code })).toMatchObject({ kind: 'tokens' });

    const again = challenge(await cognito.initiateAuth(user, { password: 'x' }));
    await expect(cognito.respond(again.session, { password: 'wrong' })).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(cognito.initiateAuth(user)).rejects.toMatchObject({ code: 'NotAuthorizedException' }); // passwordless is off
  });

  it('when the third code is wrong, the sign-in fails, and the right code no longer works', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    let step = challenge(await cognito.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    step = challenge(await cognito.respond(step.session, { answer: wrongCodeFor(code) }));
    step = challenge(await cognito.respond(step.session, { answer: wrongCodeFor(code) }));
    await expect(cognito.respond(step.session, { answer: wrongCodeFor(code) })).rejects.toThrow(
      new CognitoError('NotAuthorizedException', 'Incorrect username or password.'),
    );
    await expect(cognito.respond(step.session, { answer: code })).rejects.toThrow('Invalid session for the user.');
  });

  it('when the code has expired, the right answer is wrong', async () => {
    const { harness, clock } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    clock.advance(300_000);
    const second = challenge(await cognito.respond(first.session, { answer: code }));
    expect(second.challengeName).toBe('CUSTOM_CHALLENGE');
  });

  it('just before expiry the code still works', async () => {
    const { harness, clock } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    clock.advance(299_999);
    expect(await cognito.respond(first.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('sends a new code on request, on the other verified channel, and the old code stops working', async () => {
    const { harness, clock } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('ana');
    const first = challenge(await cognito.initiateAuth(user));
    expect(first.parameters.channel).toBe('EMAIL');
    const emailed = await lastCodeSentTo(suite.aws, 'ana@example.es');
    expect((await suite.aws.ses.emails())[0]?.subject).toBe('Tu código de acceso a Example');
    clock.advance(30_000); // at most one new code per OTP_RESEND_COOLDOWN_SECONDS

    const bySms = challenge(await cognito.respond(first.session, { answer: '', clientMetadata: { otpChannel: 'SMS' } }));
    expect(bySms.parameters).toMatchObject({ channel: 'SMS', destination: '+*******0100' });
    const texted = await lastCodeSentTo(suite.aws, '+34600000100');
    expect(suite.aws.sms.messages[0]?.message).toContain('es tu código');

    const afterOld = challenge(await cognito.respond(bySms.session, { answer: emailed === texted ? wrongCodeFor(texted) : emailed }));
    expect(await cognito.respond(afterOld.session, { answer: texted })).toMatchObject({ kind: 'tokens' });
  });

  it('a resend request sends a fresh code by the same channel', async () => {
    const { harness, clock } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    clock.advance(30_000);
    const second = challenge(await cognito.respond(first.session, { answer: '', clientMetadata: { otpResend: 'true' } }));
    expect(await messageCount(suite.aws)).toBe(2);
    expect(second.parameters.channel).toBe('EMAIL');
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    expect(await cognito.respond(second.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('a retried Create for the same round sends one message, and its code works', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness({ retryCreate: true });
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    expect(await messageCount(suite.aws)).toBe(1);
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    expect(await cognito.respond(first.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });

  it('a code is single use, even when two answers race', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    // Two clients hold the same challenge; both answer at once with the right code.
    const twin = challenge(await cognito.respond(first.session, { answer: wrongCodeFor(code) }));
    const other = harness();
    const parallel = challenge(await other.initiateAuth(user));
    expect(await messageCount(suite.aws)).toBe(1); // a new sign-in within the retry window reuses the code just sent
    const results = await Promise.allSettled([cognito.respond(twin.session, { answer: code }), other.respond(parallel.session, { answer: code })]);
    const tokens = results.filter((result) => result.status === 'fulfilled' && result.value.kind === 'tokens');
    expect(tokens).toHaveLength(1);
  });

  it('locks the user out across sessions after OTP_LOCKOUT_THRESHOLD wrong answers, with no new codes until it ends', async () => {
    const { harness, clock } = buildTriggers(suite.aws, { OTP_LOCKOUT_THRESHOLD: '4', OTP_LOCKOUT_SECONDS: '900' });
    const cognito = harness();
    const user = freshUser('jo');
    const firstSession = challenge(await cognito.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    let step = challenge(await cognito.respond(firstSession.session, { answer: wrongCodeFor(code) }));
    step = challenge(await cognito.respond(step.session, { answer: wrongCodeFor(code) }));
    await expect(cognito.respond(step.session, { answer: wrongCodeFor(code) })).rejects.toMatchObject({ code: 'NotAuthorizedException' });

    clock.advance(30_000);
    const secondSession = challenge(await cognito.initiateAuth(user));
    const newCode = await lastCodeSentTo(suite.aws, 'jo@example.com');
    // A second client holds the same live code (a new sign-in within the retry window reuses it).
    const elsewhere = harness();
    const heldElsewhere = challenge(await elsewhere.initiateAuth(user));
    const sentBefore = await messageCount(suite.aws);
    // The fourth consecutive wrong answer (across sessions and codes) locks the user: no next challenge.
    await expect(cognito.respond(secondSession.session, { answer: wrongCodeFor(newCode) })).rejects.toMatchObject({
      code: 'UserLambdaValidationException',
      message: 'CreateAuthChallenge failed with error Sign-in could not be completed. Please try again later..',
    });
    // During the lockout the right code is not accepted, and no new code is sent.
    await expect(elsewhere.respond(heldElsewhere.session, { answer: newCode })).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
    await expect(cognito.initiateAuth(user)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
    expect(await messageCount(suite.aws)).toBe(sentBefore);

    clock.advance(900_000);
    const afterLockout = challenge(await cognito.initiateAuth(user));
    const freshCode = await lastCodeSentTo(suite.aws, 'jo@example.com');
    expect(await cognito.respond(afterLockout.session, { answer: freshCode })).toMatchObject({ kind: 'tokens' });
  });

  it('a correct answer resets the count of consecutive wrong answers', async () => {
    const { harness, clock } = buildTriggers(suite.aws, { OTP_LOCKOUT_THRESHOLD: '3' });
    const cognito = harness();
    const user = freshUser('jo');
    for (let round = 0; round < 3; round += 1) {
      clock.advance(60_000);
      const first = challenge(await cognito.initiateAuth(user));
      const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
      const second = challenge(await cognito.respond(first.session, { answer: wrongCodeFor(code) }));
      expect(await cognito.respond(second.session, { answer: code })).toMatchObject({ kind: 'tokens' });
    }
  });

  it('for an unknown user, presents a decoy challenge of the same shape, sends nothing and never issues tokens', async () => {
    const { harness, logs } = buildTriggers(suite.aws);
    const cognito = harness();
    const first = challenge(await cognito.initiateAuth('nobody@example.com'));
    expect(Object.keys(first.parameters).sort()).toEqual(['USERNAME', 'channel', 'codeLength', 'destination', 'expiresAt']);
    expect(first.parameters).toMatchObject({ channel: 'EMAIL', destination: 'n***@e***.com', codeLength: '6' });
    const again = challenge(await cognito.initiateAuth('nobody@example.com'));
    expect(again.parameters.destination).toBe(first.parameters.destination);
    let step = challenge(await cognito.respond(first.session, { answer: '123456' }));
    step = challenge(await cognito.respond(step.session, { answer: '654321' }));
    await expect(cognito.respond(step.session, { answer: '000000' })).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    expect(await messageCount(suite.aws)).toBe(0);
    expect(logs.text()).not.toContain('nobody@example.com');
  });

  it('a user with no verified address gets a decoy challenge and nothing is sent to the unverified ones', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness();
    const first = challenge(await cognito.initiateAuth(freshUser('unverified')));
    expect(first.parameters.channel).toBe('EMAIL');
    expect(await messageCount(suite.aws)).toBe(0);
  });
});

describe('secrets never leak', () => {
  it('no code, code hash or HMAC key appears in debug logs, errors or public parameters of whole flows', async () => {
    const { harness, logs, dynamo, clock } = buildTriggers(suite.aws, { POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const cognito = harness({ retryCreate: true });
    const user = freshUser('ana');
    const codes: string[] = [];
    const publicParameters: string[] = [];
    const errors: string[] = [];
    let step = challenge(await cognito.initiateAuth(user));
    publicParameters.push(JSON.stringify(step.parameters));
    codes.push(await lastCodeSentTo(suite.aws, 'ana@example.es'));
    clock.advance(30_000);
    step = challenge(await cognito.respond(step.session, { answer: '', clientMetadata: { otpChannel: 'SMS' } }));
    publicParameters.push(JSON.stringify(step.parameters));
    codes.push(await lastCodeSentTo(suite.aws, '+34600000100'));
    step = challenge(await cognito.respond(step.session, { answer: wrongCodeFor(codes[1] ?? '') }));
    await cognito.respond(step.session, { answer: codes[1] ?? '' });
    await cognito.initiateAuth('nobody@example.com').catch((error: Error) => errors.push(error.message));

    const item = await dynamo.call('GetItem', { TableName: 'otp-test', Key: { pk: { S: `USER#${user}` } } });
    const storedHash = item.Item?.codeHash?.S ?? '';
    expect(storedHash).not.toBe('');
    expect(JSON.stringify(item.Item)).not.toContain(codes[1]);

    const everything = [logs.text(), ...publicParameters, ...errors].join('\n');
    expect(logs.lines.length).toBeGreaterThan(10);
    for (const secret of [...codes, storedHash, TEST_SECRET, Buffer.from(TEST_SECRET).toString('base64')]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('asking for a channel the user cannot be served on', () => {
  it('neither renews nor switches the code: the live code keeps working and nothing is sent', async () => {
    const { harness } = buildTriggers(suite.aws);
    const cognito = harness();
    const user = freshUser('jo');
    const first = challenge(await cognito.initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    const second = challenge(await cognito.respond(first.session, { answer: '', clientMetadata: { otpChannel: 'SMS' } }));
    expect(second.parameters.channel).toBe('EMAIL');
    expect(await messageCount(suite.aws)).toBe(1);
    expect(await cognito.respond(second.session, { answer: code })).toMatchObject({ kind: 'tokens' });
  });
});

describe('when Cognito sends the same Verify twice (a retried invocation)', () => {
  it('a wrong answer is counted once, and a right answer is right both times', async () => {
    const { triggers, harness, dynamo } = buildTriggers(suite.aws, { OTP_LOCKOUT_THRESHOLD: '5' });
    const user = freshUser('jo');
    challenge(await harness().initiateAuth(user));
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    // The harness keeps the private parameters to itself; the code id is read from the table.
    const item = async () => (await dynamo.call('GetItem', { TableName: 'otp-test', Key: { pk: { S: `USER#${user}` } }, ConsistentRead: true })).Item;
    const codeId = (await item())?.codeId?.S ?? '';
    const { sampleEvent } = await import('../support/events.js');
    const verifyEvent = (answer: string, round: string) => {
      const event = sampleEvent('verifyAuthChallenge/answer.json');
      event.userName = user;
      event.request.privateChallengeParameters = { codeId, challenge: round };
      event.request.challengeAnswer = answer;
      return event;
    };
    const wrong = verifyEvent(code === '000000' ? '111111' : '000000', 'r1');
    await triggers.verify(structuredClone(wrong));
    await triggers.verify(structuredClone(wrong));
    expect((await item())?.failedAttempts?.N).toBe('1');

    const right = verifyEvent(code, 'r2');
    expect((await triggers.verify(structuredClone(right))).response.answerCorrect).toBe(true);
    expect((await triggers.verify(structuredClone(right))).response.answerCorrect).toBe(true);
    // Another answer with the same, now used, code is refused.
    right.request.privateChallengeParameters.challenge = 'r3';
    expect((await triggers.verify(structuredClone(right))).response.answerCorrect).toBe(false);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageTemplate, serverless } from '../support/serverlessPackage.js';

/**
 * Settings that would only fail in AWS (at a function's cold start, or silently) fail `serverless package`
 * (and so `deploy`) first, with a message naming the parameter and what is allowed. The checks run before
 * anything is built, so each case takes only osls's start-up.
 */
const packageWith = (...params: string[]) =>
  serverless(['package', '--package', mkdtempSync(join(tmpdir(), 'sls-refused-')), ...params.map((param) => `--param=${param}`)]);

describe('serverless package refuses settings the functions or CloudFormation would refuse later', () => {
  it.each([
    [['otpLength=99'], 'Parameter otpLength (OTP_LENGTH of createAuthChallenge): OTP_LENGTH must be from 6 to 10, got 99.'],
    [['otpChannels=EMAIL,SMS'], 'Parameter smsAllowedCountries (SMS_ALLOWED_COUNTRIES of createAuthChallenge): SMS_ALLOWED_COUNTRIES is not set: list the countries'],
    [['pretokenStaticClaims={"sub":"x"}'], 'Parameter pretokenStaticClaims (PRETOKEN_STATIC_CLAIMS of preTokenGeneration):'],
    [['userPool=bogus'], 'Parameter userPool must be one of create, existing, none, got "bogus".'],
    [['userPool=none', 'identityPool=true'], "Parameter identityPool 'true' needs userPool=create"],
    [['identityPool=yes'], `Parameter identityPool must be 'true' or 'false', got "yes".`],
  ])('%j fails, naming the parameter', async (params, message) => {
    const outcome = await packageWith(...params);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output).toContain('The deploy settings would fail in AWS (nothing was packaged or deployed)');
    expect(outcome.output).toContain(message);
    // Not osls's own variable-resolution error, repeated once per function.
    expect(outcome.output).not.toContain('Cannot resolve variable');
  }, 60_000);
});

describe('npx serverless invoke local after a cold-start configuration error', () => {
  it('prints the variable and what is allowed, then exits non-zero promptly instead of hanging', async () => {
    const outcome = await serverless(
      ['invoke', 'local', '-f', 'defineAuthChallenge', '-p', 'events/defineAuthChallenge/first-call.json', '-e', 'OTP_MAX_ATTEMPTS=99'],
      { timeoutMs: 60_000 },
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output).toContain('OTP_MAX_ATTEMPTS must be from 1 to 10, got 99.');
    expect(outcome.seconds).toBeLessThan(30);
  }, 90_000);
});

describe("Firebase's hash parameters reach userMigration together, the signer key from Secrets Manager", () => {
  const firebase = ['migrationFirebaseSaltSeparator=Bw==', 'migrationFirebaseRounds=8', 'migrationFirebaseMemCost=14'];

  it('some but not all of the four fail packaging, naming them', async () => {
    const outcome = await packageWith(...firebase);
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.output).toContain('migrationFirebaseSignerKeySecretName, migrationFirebaseSaltSeparator, migrationFirebaseRounds and migrationFirebaseMemCost go together');
  }, 60_000);

  it('a value the function would refuse fails packaging, naming the variable', async () => {
    const outcome = await packageWith('migrationFirebaseSignerKeySecretName=firebase-signer-key', 'migrationFirebaseSaltSeparator=Bw==', 'migrationFirebaseRounds=99', 'migrationFirebaseMemCost=14');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output).toContain('MIGRATION_FIREBASE_ROUNDS');
  }, 60_000);

  it('all four package, the key as a dynamic reference and never in the template as text', async () => {
    const { template } = await packageTemplate(['--param=migrationFirebaseSignerKeySecretName=firebase-signer-key', ...firebase.map((param) => `--param=${param}`)]);
    const environment = (template.Resources.UserMigrationLambdaFunction?.Properties as { Environment: { Variables: Record<string, string> } }).Environment.Variables;
    expect(environment).toMatchObject({
      MIGRATION_FIREBASE_SIGNER_KEY: '{{resolve:secretsmanager:firebase-signer-key:SecretString}}',
      MIGRATION_FIREBASE_SALT_SEPARATOR: 'Bw==',
      MIGRATION_FIREBASE_ROUNDS: '8',
      MIGRATION_FIREBASE_MEM_COST: '14',
    });
  }, 120_000);
});

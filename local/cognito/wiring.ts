import { createSes, createSns } from '../../shared/aws/services.js';
import { createSesEmailSender } from '../../shared/delivery/ses.js';
import { createSnsSmsSender } from '../../shared/delivery/sns.js';
import { FUNCTION_MODULES, lambdaContext, loadHandler } from '../localEnv.js';
import type { LocalAws } from '../standins.js';
import type { PoolConfig } from './pool.js';
import { startCognitoEndpoint, type CognitoEndpoint } from './server.js';
import { TRIGGER_NAMES, type TriggerKey, type Triggers } from './triggers.js';

/**
 * The endpoint as `npm run standins` and `npm run demo -- --web` run it: the suite's own functions
 * (their index.ts, configured from process.env like a deployed Lambda) as the pool's triggers, the
 * pool's own messages through the SES and SNS stand-ins, and a sample user.
 */

/** Every trigger the suite has a function for: a function added to FUNCTION_MODULES under the trigger's key is picked up. */
export async function suiteTriggers(): Promise<Triggers> {
  const triggers: Triggers = {};
  for (const key of Object.keys(TRIGGER_NAMES) as TriggerKey[]) {
    const functionName = key;
    if (FUNCTION_MODULES[functionName] === undefined) continue;
    const handler = await loadHandler(functionName);
    triggers[key] = (event) => handler(event, lambdaContext(functionName));
  }
  return triggers;
}

/** A pool user for trying things out: email and phone verified, a password for the second-factor mode, in the admins group. */
export const SAMPLE_POOL_USER = {
  email: 'pat@example.com',
  phone: '+12125550123',
  password: 'Local-Passw0rd!',
  attributes: { given_name: 'Pat', locale: 'en-US', 'custom:tenant_id': 't-42' },
  groups: ['admins'],
};

export async function startSuiteEndpoint(aws: LocalAws, options: { port?: number; pool?: PoolConfig } = {}): Promise<CognitoEndpoint> {
  const triggers: Triggers = {};
  const cognito = await startCognitoEndpoint({
    triggers,
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    senders: {
      email: createSesEmailSender(createSes({ endpoint: aws.ses.endpoint }), { from: process.env.EMAIL_FROM ?? 'no-reply@example.com' }),
      sms: createSnsSmsSender(createSns({ endpoint: aws.sms.endpoint }), {}),
    },
  });
  // The functions that call Cognito (pre sign-up's admin calls) reach this endpoint, as deployed ones reach the real pool.
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ??= cognito.endpoint;
  Object.assign(triggers, await suiteTriggers());
  const { users } = cognito.userPool;
  const user = users.create({
    name: SAMPLE_POOL_USER.email,
    status: 'CONFIRMED',
    password: SAMPLE_POOL_USER.password,
    attributes: { ...SAMPLE_POOL_USER.attributes, email_verified: 'true', phone_number: SAMPLE_POOL_USER.phone, phone_number_verified: 'true' },
  });
  user.groups.push(...SAMPLE_POOL_USER.groups);
  return cognito;
}

/** The README's pre-token example, which the demos show: every user a tenant_id claim, the admins group an admin role and scope. */
export const DEMO_PRETOKEN_SETTINGS = {
  PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}',
  PRETOKEN_GROUP_ROLES: '[{"group":"admins","roleArn":"arn:aws:iam::123456789012:role/cognito-auth-triggers-dev-identity-admin"}]',
  PRETOKEN_GROUP_SCOPES: '{"admins":["orders-api/admin"]}',
};

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Create → Verify across two `npm run invoke` runs, against `npm run standins` (another shell): Create's run
 * remembers the challenge it handed out, and `--answer-last-code` gives Verify that challenge and the code the
 * stand-ins captured. Only local stand-ins are read; nothing here reaches AWS.
 */
/** One file per running `npm run standins` (by its endpoints), so two of them never mix their challenges. */
export function lastCreateFile(env: NodeJS.ProcessEnv): string {
  const standIns = createHash('sha256').update(`${env.AWS_ENDPOINT_URL_DYNAMODB}\n${env.AWS_ENDPOINT_URL_SES}\n${env.AWS_ENDPOINT_URL_SNS}`).digest('hex').slice(0, 12);
  return join(tmpdir(), `cognito-auth-triggers-last-create-${standIns}.json`);
}

export interface LastCreate {
  userName: string;
  privateChallengeParameters: Record<string, string>;
  channel: string;
  /** Where the code went: the user's email or phone number from the event. */
  address: string | undefined;
}

type CreateEvent = { userName?: unknown; request?: { userAttributes?: Record<string, string> } };
type CreateResult = { response?: { publicChallengeParameters?: Record<string, string>; privateChallengeParameters?: Record<string, string> } };

export function rememberCreate(event: CreateEvent, result: CreateResult, env: NodeJS.ProcessEnv): void {
  const channel = result.response?.publicChallengeParameters?.channel ?? '';
  const attributes = event.request?.userAttributes ?? {};
  const last: LastCreate = {
    userName: String(event.userName ?? ''),
    privateChallengeParameters: result.response?.privateChallengeParameters ?? {},
    channel,
    address: channel === 'SMS' ? attributes.phone_number : attributes.email,
  };
  writeFileSync(lastCreateFile(env), JSON.stringify(last, null, 2), { mode: 0o600 });
}

export class LastCreateError extends Error {}

function readLastCreate(env: NodeJS.ProcessEnv): LastCreate {
  try {
    return JSON.parse(readFileSync(lastCreateFile(env), 'utf8')) as LastCreate;
  } catch {
    throw new LastCreateError('--answer-last-code: no Create to answer yet. Run `npm run invoke -- createAuthChallenge <event.json>` first (with the `npm run standins` exports set).');
  }
}

/** The newest code the stand-ins captured for that address (SES's store, or the SNS stand-in's /messages). */
async function capturedCode(last: LastCreate, env: NodeJS.ProcessEnv): Promise<string> {
  if (last.address === undefined) throw new LastCreateError('--answer-last-code: the last Create sent nothing (an unknown user or no verified address): there is no code to answer with.');
  const bodies =
    last.channel === 'SMS'
      ? ((await (await fetch(`${env.AWS_ENDPOINT_URL_SNS}/messages`)).json()) as { phoneNumber: string; message: string }[])
          .filter((sms) => sms.phoneNumber === last.address)
          .map((sms) => sms.message)
      : ((await (await fetch(`${env.AWS_ENDPOINT_URL_SES}/store`)).json()) as { emails: { destination: { to: string[] }; body: { text?: string } }[] }).emails
          .filter((email) => email.destination.to.includes(last.address as string))
          .map((email) => email.body.text ?? '');
  const code = bodies.at(-1)?.match(/\b\d{6,10}\b/)?.[0];
  if (code === undefined) throw new LastCreateError(`--answer-last-code: the stand-ins captured no code for ${last.address}.`);
  return code;
}

/** The Verify event answering the last Create's challenge with the code it sent. */
export async function answerLastCode(event: Record<string, any>, env: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  if (!env.AWS_ENDPOINT_URL_SES || !env.AWS_ENDPOINT_URL_SNS) {
    throw new LastCreateError('--answer-last-code needs `npm run standins` running in another shell and its `export` lines set in this one (each invoke otherwise starts fresh stand-ins with a fresh key).');
  }
  const last = readLastCreate(env);
  const code = await capturedCode(last, env);
  return {
    ...event,
    userName: last.userName,
    request: { ...event.request, privateChallengeParameters: last.privateChallengeParameters, challengeAnswer: code },
  };
}

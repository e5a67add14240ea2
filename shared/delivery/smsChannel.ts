import { SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from './senders.js';
import { createSnsSmsSender, type SnsSenderOptions } from './sns.js';
import { awsClientOptions } from '../aws/clientOptions.js';
import { loadPhoneLibrary } from '../otp/phoneLibrary.js';

/**
 * Create's SMS channel: the SNS client and the phone library. Loaded only through smsPath.ts's dynamic import,
 * so that it is a lazily initialised part of the bundle (static imports inside keep the SDK tree-shaken).
 */
export async function createSmsChannel(options: SnsSenderOptions): Promise<SmsSender> {
  await loadPhoneLibrary();
  return createSnsSmsSender(new SNSClient(awsClientOptions), options);
}

import type { SmsSender } from './senders.js';
import { createSnsSmsSender, type SnsSenderOptions } from './sns.js';
import { createSns } from '../aws/services.js';
import { loadPhoneLibrary } from '../otp/phoneLibrary.js';

/**
 * Create's SMS channel: the SNS client and the phone library (libphonenumber-js with its mobile-number
 * metadata). Loaded only through smsPath.ts's dynamic import, so that email-only deployments never evaluate it.
 */
export async function createSmsChannel(options: SnsSenderOptions): Promise<SmsSender> {
  await loadPhoneLibrary();
  return createSnsSmsSender(createSns(), options);
}

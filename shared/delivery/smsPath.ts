import type { SmsSender } from './senders.js';
import type { SnsSenderOptions } from './sns.js';

/**
 * The SMS path of Create: the SNS client and the phone library (libphonenumber-js and its metadata). Loaded at cold start only when OTP_CHANNELS
 * includes SMS, through dynamic imports that esbuild keeps in the same bundle as lazily initialised modules:
 * an email-only deployment never evaluates them (`npm run bench` measures both).
 */
export interface LazySms {
  sender: SmsSender;
  /** Settles when the path is loaded; the handler waits for it before its first event. */
  loaded: Promise<unknown>;
}

export function loadSmsPath(options: SnsSenderOptions): LazySms {
  const sender = import('./smsChannel.js').then(({ createSmsChannel }) => createSmsChannel(options));
  return { sender: { sendSms: async (phoneNumber, text) => (await sender).sendSms(phoneNumber, text) }, loaded: sender };
}

/** The sender of a deployment without SMS: Create never picks an SMS destination there. */
export const smsNotConfigured: SmsSender = {
  async sendSms() {
    throw new Error('SMS is not among OTP_CHANNELS');
  },
};

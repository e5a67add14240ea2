import { randomInt } from 'node:crypto';
import type { EmailSender, SmsSender } from '../../shared/delivery/senders.js';
import { maskEmail, maskPhone } from '../../shared/otp/mask.js';
import type { PoolUser } from './users.js';

/**
 * The messages Cognito itself sends (sign-up confirmation, forgot-password and invitation codes),
 * in Cognito's default wording. Every one is kept in `outbox`; with senders they also go through
 * the SES and SNS stand-ins, so they show in the same viewers as the triggers' codes.
 */

export type MessageKind = 'signUp' | 'forgotPassword' | 'invitation';

export interface PoolMessage {
  kind: MessageKind;
  medium: 'EMAIL' | 'SMS';
  to: string;
  code: string;
  text: string;
}

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: 'email' | 'phone_number';
}

const TEXT: Record<MessageKind, (code: string) => string> = {
  signUp: (code) => `Your verification code is ${code}`,
  forgotPassword: (code) => `Your password reset code is ${code}`,
  invitation: (code) => `Your username is {username} and temporary password is ${code}.`,
};
const SUBJECT: Record<MessageKind, string> = { signUp: 'Your verification code', forgotPassword: 'Your password reset code', invitation: 'Your temporary password' };

export class PoolMessages {
  readonly outbox: PoolMessage[] = [];
  constructor(private readonly senders: { email?: EmailSender; sms?: SmsSender } = {}) {}

  newCode(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, '0');
  }

  /** Where a code for this user goes: a verified email first, else a verified phone; for sign-up, the unverified email. */
  static destinationOf(user: PoolUser, requireVerified: boolean): CodeDeliveryDetails | undefined {
    const { email, phone_number: phone } = user.attributes;
    if (email && (!requireVerified || user.attributes.email_verified === 'true')) return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
    if (phone && (!requireVerified || user.attributes.phone_number_verified === 'true')) return { Destination: maskPhone(phone), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
    return undefined;
  }

  async send(kind: MessageKind, user: PoolUser, details: CodeDeliveryDetails, code: string): Promise<void> {
    const to = user.attributes[details.AttributeName] ?? '';
    const text = TEXT[kind](code).replace('{username}', user.attributes.email ?? user.username);
    this.outbox.push({ kind, medium: details.DeliveryMedium, to, code, text });
    if (details.DeliveryMedium === 'EMAIL') await this.senders.email?.sendEmail(to, { subject: SUBJECT[kind], text, html: `<p>${text}</p>` });
    else await this.senders.sms?.sendSms(to, text);
  }
}

import type { EmailContent } from '../otp/templates.js';

/** Where codes go. Production senders wrap SES and SNS; tests and the demo capture. */

export interface EmailSender {
  sendEmail(to: string, content: EmailContent): Promise<void>;
}

export interface SmsSender {
  sendSms(phoneNumber: string, text: string): Promise<void>;
}

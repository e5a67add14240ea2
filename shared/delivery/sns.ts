import type { SmsSender } from './senders.js';
import type { Sns } from '../aws/services.js';
import { queryParameters } from '../aws/queryProtocol.js';

export interface SnsSenderOptions {
  senderId?: string | undefined;
}

/** SMS straight to a phone number (never to a topic), as a transactional message. */
export function createSnsSmsSender(client: Sns, options: SnsSenderOptions): SmsSender {
  return {
    async sendSms(phoneNumber, text) {
      const input = {
        PhoneNumber: phoneNumber,
        Message: text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(options.senderId === undefined ? {} : { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } }),
        },
      };
      await client.call('Publish', queryParameters(input, new Set(['MessageAttributes'])), ['MessageId']);
    },
  };
}

import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from './senders.js';
import { sendOptions } from '../aws/deadline.js';

export interface SnsSenderOptions {
  senderId?: string | undefined;
}

/** SMS straight to a phone number (never to a topic), as a transactional message. */
export function createSnsSmsSender(client: SNSClient, options: SnsSenderOptions): SmsSender {
  return {
    async sendSms(phoneNumber, text) {
      await client.send(
        new PublishCommand({
          PhoneNumber: phoneNumber,
          Message: text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(options.senderId === undefined ? {} : { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } }),
          },
        }),
        sendOptions(),
      );
    },
  };
}

import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { EmailSender } from './senders.js';
import { sendOptions } from '../aws/deadline.js';

export interface SesSenderOptions {
  from: string;
  configurationSet?: string | undefined;
}

export function createSesEmailSender(client: SESClient, options: SesSenderOptions): EmailSender {
  return {
    async sendEmail(to, content) {
      await client.send(
        new SendEmailCommand({
          Source: options.from,
          Destination: { ToAddresses: [to] },
          Message: {
            Subject: { Data: content.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: content.text, Charset: 'UTF-8' }, Html: { Data: content.html, Charset: 'UTF-8' } },
          },
          ...(options.configurationSet === undefined ? {} : { ConfigurationSetName: options.configurationSet }),
        }),
        sendOptions(),
      );
    },
  };
}

import type { EmailSender } from './senders.js';
import type { Ses } from '../aws/services.js';
import { queryParameters } from '../aws/queryProtocol.js';

export interface SesSenderOptions {
  from: string;
  configurationSet?: string | undefined;
}

export function createSesEmailSender(client: Ses, options: SesSenderOptions): EmailSender {
  return {
    async sendEmail(to, content) {
      const input = {
        Source: options.from,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: content.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: content.text, Charset: 'UTF-8' }, Html: { Data: content.html, Charset: 'UTF-8' } },
        },
        ConfigurationSetName: options.configurationSet,
      };
      await client.call('SendEmail', queryParameters(input), ['MessageId']);
    },
  };
}

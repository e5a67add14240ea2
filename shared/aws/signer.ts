import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ConfigError } from '../errors.js';

/**
 * Signature Version 4 for the suite's AWS calls, by the AWS SDK's own signer (@smithy/signature-v4);
 * hashing by node:crypto. Credentials are Lambda's: the role's keys in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, read at every call (so renewed keys are picked up).
 */

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export type CredentialSource = () => AwsCredentials;

type Env = Readonly<Record<string, string | undefined>>;

export function credentialsFromEnv(env: Env = process.env): CredentialSource {
  return () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      // Names the variables only; never echoes a value.
      throw new ConfigError('No AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them from the function role).');
    }
    return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
  };
}

type Bytes = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Bytes): Buffer | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape the signer asks for. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Bytes): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface RequestToSign {
  method: string;
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Signer {
  sign(request: RequestToSign, signingDate?: Date): Promise<Record<string, string>>;
}

/** A signer for one service in one region; `sign` returns the request's headers with the signature added. */
export function createSigner(service: string, region: string, credentials: CredentialSource): Signer {
  return {
    async sign(request, signingDate) {
      const { accessKeyId, secretAccessKey, sessionToken } = credentials();
      const identity = sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
      const signer = new SignatureV4({ service, region, credentials: identity, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
      const { port, ...rest } = request;
      const signed = await signer.sign({ ...rest, ...(port === undefined ? {} : { port }), query: {} }, signingDate === undefined ? {} : { signingDate });
      return signed.headers as Record<string, string>;
    },
  };
}

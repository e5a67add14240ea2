import { randomBytes, randomUUID } from 'node:crypto';
import type { PoolUser, UserPoolAdmin } from '../shared/signup/userPoolAdmin.js';

/**
 * The user-pool side of sign-up, played locally next to the custom-auth harness (which reads the same
 * `users`): SignUp firing PreSignUp_SignUp, a federated first sign-in firing PreSignUp_ExternalProvider,
 * and the admin calls the triggers make (UserPoolAdmin). It follows the documented contract of a pool
 * with email and phone as user names: the user name triggers see is a new UUID; an address already in
 * use is refused before the trigger; autoConfirmUser confirms without verifying anything; a refusal
 * reaches the client as UserLambdaValidationException "PreSignUp failed with error <message>.";
 * a federated identity linked in PreSignUp signs in as the user it was linked to.
 */

type Handler = (event: any) => Promise<any>;

export interface LocalPoolUser {
  attributes: Record<string, string>;
  password?: string;
  status: 'CONFIRMED' | 'UNCONFIRMED' | 'EXTERNAL_PROVIDER';
  identities: { providerName: string; subject: string }[];
  /** How many times every session of the user was signed out (AdminUserGlobalSignOut). */
  globalSignOuts: number;
}

export class SignUpError extends Error {
  constructor(
    public readonly code: 'UsernameExistsException' | 'UserLambdaValidationException',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface SignUpInput {
  /** The email or phone number typed as user name. */
  username: string;
  password?: string;
  attributes?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  validationData?: Record<string, string>;
}

export class LocalSignUpPool {
  readonly users: Record<string, LocalPoolUser> = {};
  /** Fails the next admin calls, to show what a failure to claim an account does. */
  failClaims = 0;

  constructor(private readonly options: { preSignUp: Handler; userPoolId?: string; clientId?: string }) {}

  get userPoolId(): string {
    return this.options.userPoolId ?? 'us-east-1_LOCAL';
  }

  /** The internal user name of the user whose email or phone number this is (case-insensitive). */
  userNameFor(identifier: string): string | undefined {
    const wanted = identifier.toLowerCase();
    return Object.entries(this.users).find(
      ([, user]) => user.status !== 'EXTERNAL_PROVIDER' && (user.attributes.email?.toLowerCase() === wanted || user.attributes.phone_number === identifier),
    )?.[0];
  }

  private event(triggerSource: string, userName: string, request: Record<string, unknown>) {
    return {
      version: '1',
      region: 'us-east-1',
      userPoolId: this.userPoolId,
      userName,
      callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: this.options.clientId ?? 'localclient' },
      triggerSource,
      request,
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    };
  }

  private async preSignUp(event: ReturnType<LocalSignUpPool['event']>) {
    try {
      return (await this.options.preSignUp(structuredClone(event))) as { response: { autoConfirmUser?: boolean; autoVerifyEmail?: boolean; autoVerifyPhone?: boolean } };
    } catch (error) {
      throw new SignUpError('UserLambdaValidationException', `PreSignUp failed with error ${(error as Error).message}.`);
    }
  }

  /** SignUp. Returns what Cognito returns: whether the user is confirmed, and its sub. */
  async signUp(input: SignUpInput): Promise<{ userConfirmed: boolean; userSub: string; userName: string }> {
    if (this.userNameFor(input.username) !== undefined) throw new SignUpError('UsernameExistsException', 'An account with the given email already exists.');
    const attributes: Record<string, string> = { ...(input.username.includes('@') ? { email: input.username } : { phone_number: input.username }), ...input.attributes };
    const userName = randomUUID();
    const event = this.event('PreSignUp_SignUp', userName, {
      userAttributes: attributes,
      validationData: input.validationData ?? null,
      clientMetadata: input.clientMetadata ?? null,
    });
    const { response } = await this.preSignUp(event);
    const confirmed = response.autoConfirmUser === true;
    this.users[userName] = {
      attributes: {
        sub: userName,
        ...attributes,
        ...(confirmed && response.autoVerifyEmail && attributes.email ? { email_verified: 'true' } : {}),
        ...(confirmed && response.autoVerifyPhone && attributes.phone_number ? { phone_number_verified: 'true' } : {}),
      },
      ...(input.password === undefined ? {} : { password: input.password }),
      status: confirmed ? 'CONFIRMED' : 'UNCONFIRMED',
      identities: [],
      globalSignOuts: 0,
    };
    return { userConfirmed: confirmed, userSub: userName, userName };
  }

  /** An administrator creates a user (no sign-up record; PreSignUp_AdminCreateUser). */
  adminCreateUser(attributes: Record<string, string>): string {
    const userName = randomUUID();
    this.users[userName] = { attributes: { sub: userName, ...attributes }, status: 'CONFIRMED', identities: [], globalSignOuts: 0 };
    return userName;
  }

  /** A federated sign-in through the hosted UI: the user it lands on, and whether this sign-in created it. */
  async federatedSignIn(providerName: string, subject: string, attributes: Record<string, string>): Promise<{ userName: string; created: boolean }> {
    const known = Object.entries(this.users).find(([, user]) => user.identities.some((i) => i.providerName === providerName && i.subject === subject));
    if (known !== undefined) return { userName: known[0], created: false };
    const userName = `${providerName}_${subject}`;
    await this.preSignUp(this.event('PreSignUp_ExternalProvider', userName, { userAttributes: attributes, validationData: null, clientMetadata: null }));
    const linked = Object.entries(this.users).find(([, user]) => user.identities.some((i) => i.providerName === providerName && i.subject === subject));
    if (linked !== undefined) return { userName: linked[0], created: false };
    this.users[userName] = { attributes: { sub: randomUUID(), ...attributes }, status: 'EXTERNAL_PROVIDER', identities: [{ providerName, subject }], globalSignOuts: 0 };
    return { userName, created: true };
  }

  /** UpdateUserAttributes in a pool without AttributesRequireVerificationBeforeUpdate: the new address applies at once, unverified. */
  changeAddress(userName: string, attribute: 'email' | 'phone_number', value: string): void {
    const user = this.required(userName);
    user.attributes[attribute] = value;
    user.attributes[`${attribute}_verified`] = 'false';
  }

  private required(userName: string): LocalPoolUser {
    const user = this.users[userName];
    if (user === undefined) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
    return user;
  }

  /** The admin API as the triggers call it. */
  readonly admin: UserPoolAdmin = {
    claimAccount: async (_userPoolId, userName, attribute, address) => {
      if (this.failClaims > 0) {
        this.failClaims -= 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      }
      const user = this.required(userName);
      user.password = randomBytes(24).toString('base64url');
      user.globalSignOuts += 1;
      user.attributes[attribute] = address;
      user.attributes[`${attribute}_verified`] = 'true';
    },
    usersWithEmail: async (_userPoolId, email) =>
      Object.entries(this.users)
        .filter(([, user]) => user.attributes.email === email)
        .map(([userName, user]): PoolUser => ({ userName, status: user.status, enabled: true, attributes: { ...user.attributes } })),
    linkProvider: async (_userPoolId, nativeUserName, providerName, subject) => {
      this.required(nativeUserName).identities.push({ providerName, subject });
    },
  };
}

/**
 * The admin operations the triggers call, served over the cognito-idp JSON protocol from a
 * LocalSignUpPool, so the functions' own wiring (the SDK client each creates at cold start) reaches it
 * through AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. Only these five operations; anything else is refused.
 */
export async function serveAdminApi(pool: LocalSignUpPool): Promise<{ endpoint: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  type Body = Record<string, any>;
  const attributesList = (attributes: Record<string, string>) => Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
  const operations: Record<string, (body: Body) => Promise<Body>> = {
    AdminSetUserPassword: async (body) => {
      const user = pool.users[body.Username];
      if (user === undefined) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
      user.password = String(body.Password);
      return {};
    },
    AdminUserGlobalSignOut: async (body) => {
      const user = pool.users[body.Username];
      if (user === undefined) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
      user.globalSignOuts += 1;
      return {};
    },
    AdminUpdateUserAttributes: async (body) => {
      const user = pool.users[body.Username];
      if (user === undefined) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
      for (const { Name, Value } of body.UserAttributes as { Name: string; Value: string }[]) user.attributes[Name] = Value;
      return {};
    },
    ListUsers: async (body) => {
      const match = /^email = "((?:[^"\\]|\\.)*)"$/.exec(String(body.Filter ?? ''));
      if (match === null) throw Object.assign(new Error('This local pool filters by email only.'), { name: 'InvalidParameterException' });
      const users = (await pool.admin.usersWithEmail(pool.userPoolId, (match[1] ?? '').replace(/\\(.)/g, '$1'))) as PoolUser[];
      return { Users: users.map((u) => ({ Username: u.userName, UserStatus: u.status, Enabled: u.enabled, Attributes: attributesList(u.attributes) })) };
    },
    AdminLinkProviderForUser: async (body) => {
      await pool.admin.linkProvider(pool.userPoolId, body.DestinationUser.ProviderAttributeValue, body.SourceUser.ProviderName, body.SourceUser.ProviderAttributeValue);
      return {};
    },
  };
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      const operation = operations[String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? ''];
      const reply = (status: number, body: Body) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (operation === undefined) return reply(400, { __type: 'InvalidActionException', message: 'Not served by the local sign-up pool.' });
      operation(JSON.parse(raw || '{}') as Body).then(
        (body) => reply(200, body),
        (error: Error) => reply(400, { __type: error.name, message: error.message }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

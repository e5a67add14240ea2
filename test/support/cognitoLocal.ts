import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from 'cognito-local/lib/server/config';
import type { LogService } from 'cognito-local/lib/services/LogService';
import type { FunctionConfig } from 'cognito-local/lib/services/lambda';

/**
 * cognito-local's modules, loaded on first use rather than at import: its aws-sdk v2 prints an
 * end-of-support notice when loaded unless the variable below is set first.
 */
function loadCognitoLocal() {
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const load = createRequire(require.resolve('cognito-local/package.json'));
  return {
    ...(load('./lib/server/config') as typeof import('cognito-local/lib/server/config')),
    ...(load('./lib/server/Router') as typeof import('cognito-local/lib/server/Router')),
    ...(load('./lib/server/server') as typeof import('cognito-local/lib/server/server')),
    ...(load('./lib/services') as typeof import('cognito-local/lib/services')),
    ...(load('./lib/services/cognitoService') as typeof import('cognito-local/lib/services/cognitoService')),
    ...(load('./lib/services/crypto') as typeof import('cognito-local/lib/services/crypto')),
    ...(load('./lib/services/dataStore/stormDb') as typeof import('cognito-local/lib/services/dataStore/stormDb')),
    ...(load('./lib/services/messageDelivery/consoleMessageSender') as typeof import('cognito-local/lib/services/messageDelivery/consoleMessageSender')),
    ...(load('./lib/services/messageDelivery/messageDelivery') as typeof import('cognito-local/lib/services/messageDelivery/messageDelivery')),
    ...(load('./lib/services/otp') as typeof import('cognito-local/lib/services/otp')),
    ...(load('./lib/services/tokenGenerator') as typeof import('cognito-local/lib/services/tokenGenerator')),
    ...(load('./lib/services/userPoolService') as typeof import('cognito-local/lib/services/userPoolService')),
    pino: load('pino') as (options: { level: string }) => LogService,
  };
}

/**
 * cognito-local (jagregory) started inside the test process on a random loopback port, assembled
 * the way its `createDefaultServer` does, except: data in a fresh temp directory, and Lambda
 * triggers served by a fake Lambda client that calls our handlers in-process.
 */

export type TriggerName = keyof FunctionConfig;
export type TriggerHandler = (event: any) => Promise<unknown>;

/** What the fake Lambda saw; the event itself is not kept, as it can hold a password. */
export interface Invocation {
  functionName: string;
  triggerSource: unknown;
  userName: unknown;
}

export interface CognitoLocal {
  endpoint: string;
  invocations: Invocation[];
  close(): Promise<void>;
}

interface InvokeParams {
  FunctionName: string;
  InvocationType?: string;
  Payload: string;
}

interface InvokeResult {
  StatusCode: number;
  FunctionError?: string;
  Payload: string;
}

/** cognito-local uses the aws-sdk v2 Lambda client: `invoke(params).promise()`. */
function fakeLambdaClient(functions: ReadonlyMap<string, TriggerHandler>, invocations: Invocation[]) {
  return {
    invoke(params: InvokeParams) {
      return {
        promise: async (): Promise<InvokeResult> => {
          const handler = functions.get(params.FunctionName);
          if (handler === undefined) {
            // What the v2 SDK does for a missing function: the call itself rejects.
            throw Object.assign(new Error(`Function not found: ${params.FunctionName}`), { code: 'ResourceNotFoundException', statusCode: 404 });
          }
          const event = JSON.parse(params.Payload) as { triggerSource?: unknown; userName?: unknown };
          invocations.push({ functionName: params.FunctionName, triggerSource: event.triggerSource, userName: event.userName });
          try {
            const result = await handler(event);
            return { StatusCode: 200, Payload: JSON.stringify(result) };
          } catch (error) {
            // A function error as Lambda reports it: HTTP 200, FunctionError, and the error in the payload.
            const e = error instanceof Error ? error : new Error(String(error));
            return { StatusCode: 200, FunctionError: 'Unhandled', Payload: JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }) };
          }
        },
      };
    },
  };
}

export async function startCognitoLocal(options: { triggers: Partial<Record<TriggerName, TriggerHandler>> }): Promise<CognitoLocal> {
  const {
    ConsoleMessageSender, CognitoServiceFactoryImpl, CryptoService, DateClock, DefaultConfig, JwtTokenGenerator, LambdaService,
    MessageDeliveryService, MessagesService, Router, StormDBDataStoreFactory, TriggersService, UserPoolServiceFactoryImpl,
    createServer, otp, pino,
  } = loadCognitoLocal();
  // cognito-local's own pino logger; silent unless COGNITO_LOCAL_DEBUG is set (its debug lines hold passwords).
  const logger = pino({ level: process.env.COGNITO_LOCAL_DEBUG ? 'debug' : 'silent' });
  const ctx = { logger };
  const dataDirectory = await mkdtemp(join(tmpdir(), 'cognito-local-'));

  const functions = new Map<string, TriggerHandler>();
  const triggerFunctions: FunctionConfig = {};
  for (const [trigger, handler] of Object.entries(options.triggers) as [TriggerName, TriggerHandler | undefined][]) {
    if (handler === undefined) continue;
    const functionName = trigger.charAt(0).toLowerCase() + trigger.slice(1);
    triggerFunctions[trigger] = functionName;
    functions.set(functionName, handler);
  }
  const invocations: Invocation[] = [];

  const config: Config = {
    ...DefaultConfig,
    TriggerFunctions: triggerFunctions,
    TokenConfig: { IssuerDomain: 'http://127.0.0.1' },
    ServerConfig: { port: 0, hostname: '127.0.0.1', development: false, https: false },
  };

  const clock = new DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognitoServiceFactory = new CognitoServiceFactoryImpl(dataDirectory, dataStoreFactory, new UserPoolServiceFactoryImpl(clock, dataStoreFactory));
  const cognitoClient = await cognitoServiceFactory.create(ctx, config.UserPoolDefaults);
  const triggers = new TriggersService(
    clock,
    cognitoClient,
    new LambdaService(config.TriggerFunctions, fakeLambdaClient(functions, invocations) as never),
    new CryptoService(config.KMSConfig),
  );
  const tokenConfig = { ...config.TokenConfig };
  const services = {
    clock,
    cognito: cognitoClient,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
    triggers,
  };
  const server: Server = (await createServer(Router(services), logger as never, config.ServerConfig, services).start()) as Server;
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  tokenConfig.IssuerDomain = endpoint; // read when each token is issued

  return {
    endpoint,
    invocations,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

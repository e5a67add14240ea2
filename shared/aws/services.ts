import type {
  AttributeValue as SdkAttributeValue,
  DeleteItemCommandInput,
  DeleteItemCommandOutput,
  GetItemCommandInput,
  GetItemCommandOutput,
  PutItemCommandInput,
  PutItemCommandOutput,
  UpdateItemCommandInput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type {
  AdminGetUserCommandInput,
  AdminGetUserCommandOutput,
  AdminInitiateAuthCommandInput,
  AdminInitiateAuthCommandOutput,
  AdminLinkProviderForUserCommandInput,
  AdminLinkProviderForUserCommandOutput,
  AdminSetUserPasswordCommandInput,
  AdminSetUserPasswordCommandOutput,
  AdminUpdateUserAttributesCommandInput,
  AdminUpdateUserAttributesCommandOutput,
  AdminUserGlobalSignOutCommandInput,
  AdminUserGlobalSignOutCommandOutput,
  ListUsersCommandInput,
  ListUsersCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AwsClientOptions } from './client.js';
import { createJsonServiceClient, type JsonServiceClient, type Wire } from './jsonProtocol.js';
import { createQueryServiceClient, type QueryServiceClient } from './queryProtocol.js';

/**
 * The AWS services the functions call, each with the operations they use. Input and output types are the
 * AWS SDK's (type-only imports: nothing of the SDK is bundled), as they travel on the wire.
 */

type Op<I, O> = { input: Wire<I>; output: Wire<O> };

/** A DynamoDB attribute value as it travels (binary as base64, which the suite does not use). */
export type AttributeValue = Wire<SdkAttributeValue>;

export type DynamoDbOperations = {
  GetItem: Op<GetItemCommandInput, GetItemCommandOutput>;
  PutItem: Op<PutItemCommandInput, PutItemCommandOutput>;
  UpdateItem: Op<UpdateItemCommandInput, UpdateItemCommandOutput>;
  DeleteItem: Op<DeleteItemCommandInput, DeleteItemCommandOutput>;
};
export type DynamoDb = JsonServiceClient<DynamoDbOperations>;

export function createDynamoDb(options?: AwsClientOptions): DynamoDb {
  return createJsonServiceClient<DynamoDbOperations>(
    { envId: 'DYNAMODB', hostPrefix: 'dynamodb', signingName: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0', retryBaseDelayMs: 25 },
    options,
  );
}

export type CognitoIdpOperations = {
  AdminGetUser: Op<AdminGetUserCommandInput, AdminGetUserCommandOutput>;
  AdminInitiateAuth: Op<AdminInitiateAuthCommandInput, AdminInitiateAuthCommandOutput>;
  AdminLinkProviderForUser: Op<AdminLinkProviderForUserCommandInput, AdminLinkProviderForUserCommandOutput>;
  AdminSetUserPassword: Op<AdminSetUserPasswordCommandInput, AdminSetUserPasswordCommandOutput>;
  AdminUpdateUserAttributes: Op<AdminUpdateUserAttributesCommandInput, AdminUpdateUserAttributesCommandOutput>;
  AdminUserGlobalSignOut: Op<AdminUserGlobalSignOutCommandInput, AdminUserGlobalSignOutCommandOutput>;
  ListUsers: Op<ListUsersCommandInput, ListUsersCommandOutput>;
};
export type CognitoIdp = JsonServiceClient<CognitoIdpOperations>;

export function createCognitoIdp(options?: AwsClientOptions): CognitoIdp {
  return createJsonServiceClient<CognitoIdpOperations>(
    { envId: 'COGNITO_IDENTITY_PROVIDER', hostPrefix: 'cognito-idp', signingName: 'cognito-idp', targetPrefix: 'AWSCognitoIdentityProviderService', jsonVersion: '1.1' },
    options,
  );
}

/** SES (API v1, Query protocol): SendEmail. */
export type Ses = QueryServiceClient;
export function createSes(options?: AwsClientOptions): Ses {
  return createQueryServiceClient({ envId: 'SES', hostPrefix: 'email', signingName: 'ses', apiVersion: '2010-12-01' }, options);
}

/** SNS (Query protocol): Publish to a phone number. */
export type Sns = QueryServiceClient;
export function createSns(options?: AwsClientOptions): Sns {
  return createQueryServiceClient({ envId: 'SNS', hostPrefix: 'sns', signingName: 'sns', apiVersion: '2010-03-31' }, options);
}

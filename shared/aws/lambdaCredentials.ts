import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (esbuild alias in
 * esbuild.config.cjs). Lambda always hands a function its role's credentials in environment
 * variables, so the SDK's default chain (profiles, SSO, web identity, IMDS — about 90 KB of the
 * bundle) can never be reached there. Local tools run from source and keep the full chain.
 */
export const defaultProvider = (_init?: unknown) => fromEnv();

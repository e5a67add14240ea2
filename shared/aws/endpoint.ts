import { ConfigError } from '../errors.js';

/**
 * Where an AWS service is reached, resolved once when a client is created (at cold start), the way the
 * AWS SDKs do for the services the suite calls: an explicit endpoint, else `AWS_ENDPOINT_URL_<SERVICE>`,
 * else `AWS_ENDPOINT_URL` (both ignored with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else the
 * service's regional endpoint in the region's partition (FIPS with `AWS_USE_FIPS_ENDPOINT=true`).
 */

export interface ServiceEndpointSpec {
  /** The part of `AWS_ENDPOINT_URL_<ID>` after the prefix, e.g. DYNAMODB, COGNITO_IDENTITY_PROVIDER. */
  envId: string;
  /** The host's first label, e.g. `dynamodb`, `email` (SES), `cognito-idp`. */
  hostPrefix: string;
}

export interface ResolvedEndpoint {
  url: URL;
  region: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** DNS suffixes of the partitions other than `aws` (whose suffix is amazonaws.com). */
const PARTITION_SUFFIXES: readonly (readonly [RegExp, string])[] = [
  [/^cn-/, 'amazonaws.com.cn'],
  [/^us-isob-/, 'sc2s.sgov.gov'],
  [/^us-isof-/, 'csp.hci.ic.gov'],
  [/^us-iso-/, 'c2s.ic.gov'],
  [/^eu-isoe-/, 'cloud.adc-e.uk'],
];

function isTrue(env: Env, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}".`);
}

function parseEndpoint(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source} is not a URL: "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${source} must be an http(s) URL, got "${value}".`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`${source} must be a plain http(s) URL without credentials, query or fragment.`);
  }
  return url;
}

export function resolveEndpoint(spec: ServiceEndpointSpec, env: Env, explicit: { endpoint?: string | undefined; region?: string | undefined } = {}): ResolvedEndpoint {
  const region = explicit.region?.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
  if (region === '') throw new ConfigError('AWS_REGION is not set: expected the AWS region the function runs in (Lambda sets it).');
  if (explicit.endpoint !== undefined) return { url: parseEndpoint(explicit.endpoint, `The ${spec.hostPrefix} endpoint`), region };

  if (!isTrue(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')) {
    for (const name of [`AWS_ENDPOINT_URL_${spec.envId}`, 'AWS_ENDPOINT_URL']) {
      const value = env[name]?.trim();
      if (value) return { url: parseEndpoint(value, name), region };
    }
  }
  // Only a region that names a host must be a real region's name; with an endpoint it only scopes the signature.
  if (!REGION.test(region)) {
    const source = explicit.region?.trim() ? `The ${spec.hostPrefix} region` : 'AWS_REGION';
    throw new ConfigError(`${source} is not an AWS region name: "${region}".`);
  }
  if (isTrue(env, 'AWS_USE_DUALSTACK_ENDPOINT')) {
    throw new ConfigError(`AWS_USE_DUALSTACK_ENDPOINT=true is not supported by the suite's AWS client: set AWS_ENDPOINT_URL_${spec.envId} to the dual-stack endpoint instead.`);
  }
  const suffix = PARTITION_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? 'amazonaws.com';
  const fips = isTrue(env, 'AWS_USE_FIPS_ENDPOINT') ? '-fips' : '';
  return { url: new URL(`https://${spec.hostPrefix}${fips}.${region}.${suffix}`), region };
}

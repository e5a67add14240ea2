/**
 * Options for every AWS client: bounded connection and request times and a small retry budget,
 * so that a slow dependency fails inside Cognito's 5-second trigger limit instead of past it.
 */
export const awsClientOptions = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 },
} as const;

import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/errors.js';
import { parsePreTokenEvent } from '../../../shared/pretoken/event.js';
import { COGNITO_DEFAULT_ROLE, eventFrom, type MutableEvent, v1Event, v2Event, v3ClientCredentialsEvent } from './events.js';

function invalid(event: unknown): InvalidEventError {
  try {
    parsePreTokenEvent(event);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    return error as InvalidEventError;
  }
  throw new Error('expected an InvalidEventError');
}

function groupConfiguration(event: MutableEvent): Record<string, unknown> {
  return event.request.groupConfiguration as Record<string, unknown>;
}

describe('parsePreTokenEvent', () => {
  it('reads a V1 event', () => {
    const parsed = parsePreTokenEvent(eventFrom(v1Event));
    expect(parsed.version).toBe('1');
    expect(parsed.triggerSource).toBe('TokenGeneration_Authentication');
    expect(parsed.userAttributes['custom:tenant_id']).toBe('t-42');
    expect(parsed.groupConfiguration).toEqual({
      groupsToOverride: ['users'],
      iamRolesToOverride: [COGNITO_DEFAULT_ROLE],
      preferredRole: COGNITO_DEFAULT_ROLE,
    });
    expect(parsed.clientMetadata).toEqual({});
    expect(parsed.scopes).toEqual([]);
  });

  it('reads the scopes of a V2 event', () => {
    expect(parsePreTokenEvent(eventFrom(v2Event)).scopes).toEqual(['openid', 'email', 'aws.cognito.signin.user.admin']);
  });

  it.each([
    'TokenGeneration_HostedAuth',
    'TokenGeneration_Authentication',
    'TokenGeneration_NewPasswordChallenge',
    'TokenGeneration_AuthenticateDevice',
    'TokenGeneration_RefreshTokens',
  ])('accepts the user trigger source %s', (triggerSource) => {
    const event = eventFrom(v2Event);
    event.triggerSource = triggerSource;
    expect(parsePreTokenEvent(event).triggerSource).toBe(triggerSource);
  });

  it('accepts a V3 client-credentials event without user attributes or groups', () => {
    const parsed = parsePreTokenEvent(eventFrom(v3ClientCredentialsEvent));
    expect(parsed).toEqual({
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
      userAttributes: {},
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
      clientMetadata: {},
      scopes: ['api/read'],
    });
  });

  it('accepts a V3 event for a user, like a V2 one', () => {
    const event = eventFrom(v2Event);
    event.version = '3';
    expect(parsePreTokenEvent(event).version).toBe('3');
  });

  it('is lenient where Cognito is: null preferredRole, null group lists, absent clientMetadata and scopes', () => {
    const event = eventFrom(v2Event);
    event.request.groupConfiguration = { groupsToOverride: null, iamRolesToOverride: null, preferredRole: null };
    delete event.request.clientMetadata;
    delete event.request.scopes;
    const parsed = parsePreTokenEvent(event);
    expect(parsed.groupConfiguration).toEqual({ groupsToOverride: [], iamRolesToOverride: [] });
    expect(parsed.clientMetadata).toEqual({});
    expect(parsed.scopes).toEqual([]);
  });

  it('keeps clientMetadata strings', () => {
    const event = eventFrom(v1Event);
    event.request.clientMetadata = { locale: 'en-GB' };
    expect(parsePreTokenEvent(event).clientMetadata).toEqual({ locale: 'en-GB' });
  });

  it('accepts a numeric version', () => {
    const event = eventFrom(v1Event);
    event.version = 1;
    expect(parsePreTokenEvent(event).version).toBe('1');
  });
});

describe('parsePreTokenEvent refuses a malformed event, naming the field', () => {
  const cases: [string, (event: MutableEvent) => void, string][] = [
    ['an unknown version', (event) => { event.version = '4'; }, 'version'],
    ['a missing version', (event) => { delete event.version; }, 'version'],
    ['an unknown triggerSource', (event) => { event.triggerSource = 'PreSignUp_SignUp'; }, 'triggerSource'],
    ['a missing request', (event) => { Reflect.deleteProperty(event, 'request'); }, 'request'],
    ['missing userAttributes', (event) => { delete event.request.userAttributes; }, 'request.userAttributes'],
    ['a non-string attribute', (event) => { event.request.userAttributes = { email: 'jo@example.com', age: 42 }; }, 'request.userAttributes.age'],
    ['a missing groupConfiguration', (event) => { event.request.groupConfiguration = null; }, 'request.groupConfiguration'],
    ['a groupConfiguration that is not an object', (event) => { event.request.groupConfiguration = 'users'; }, 'request.groupConfiguration'],
    ['groupsToOverride that is not an array', (event) => { groupConfiguration(event).groupsToOverride = 'users'; }, 'request.groupConfiguration.groupsToOverride'],
    ['a group that is not a string', (event) => { groupConfiguration(event).groupsToOverride = ['users', 7]; }, 'request.groupConfiguration.groupsToOverride[1]'],
    ['iamRolesToOverride that is not an array', (event) => { groupConfiguration(event).iamRolesToOverride = {}; }, 'request.groupConfiguration.iamRolesToOverride'],
    ['a preferredRole that is not a string', (event) => { groupConfiguration(event).preferredRole = 1; }, 'request.groupConfiguration.preferredRole'],
    ['clientMetadata that is not an object', (event) => { event.request.clientMetadata = 'x'; }, 'request.clientMetadata'],
    ['a clientMetadata value that is not a string', (event) => { event.request.clientMetadata = { n: 1 }; }, 'request.clientMetadata.n'],
    ['scopes that are not an array', (event) => { event.request.scopes = 'openid email'; }, 'request.scopes'],
  ];

  it.each(cases)('%s', (_, change, field) => {
    const event = eventFrom(v2Event);
    change(event);
    expect(invalid(event).message).toContain(field);
  });

  it('an event that is not an object', () => {
    expect(invalid(null).message).toContain('event');
    expect(invalid('event').message).toContain('event');
  });

  it('a client-credentials trigger source with a version other than 3', () => {
    const event = eventFrom(v3ClientCredentialsEvent);
    event.version = '2';
    expect(invalid(event).message).toMatch(/triggerSource TokenGeneration_ClientCredentials needs version 3/);
  });
});

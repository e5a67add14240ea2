/**
 * Cognito's exceptions as the JSON protocol carries them: `{"__type": name, "message": text}`.
 * Names and texts are the ones the real service sends (README, "Clients": the fidelity table gives sources).
 */

export type CognitoErrorCode =
  | 'NotAuthorizedException'
  | 'UserLambdaValidationException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'InvalidLambdaResponseException'
  | 'UnexpectedLambdaException'
  | 'UserNotFoundException'
  | 'UserNotConfirmedException'
  | 'UsernameExistsException'
  | 'AliasExistsException'
  | 'PasswordResetRequiredException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'LimitExceededException'
  | 'ResourceNotFoundException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'UnknownOperationException'
  | 'SerializationException';

export class CognitoError<Code extends CognitoErrorCode = CognitoErrorCode> extends Error {
  constructor(
    public readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';

export const notAuthorized = (message = INCORRECT_CREDENTIALS) => new CognitoError('NotAuthorizedException', message);
export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);

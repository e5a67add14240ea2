import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { wrapTrigger } from '../../shared/handler.js';
import { parsePreSignUpEvent } from '../../shared/signup/event.js';
import { createPreSignUpService, type PreSignUpDependencies } from '../../shared/signup/preSignUp.js';

export function makePreSignUpHandler(deps: PreSignUpDependencies) {
  const preSignUp = createPreSignUpService(deps);
  return wrapTrigger<PreSignUpTriggerEvent>(deps.logger, async (event) => {
    // Only what the suite decided goes back: nothing a caller put in the response is passed on.
    event.response = await preSignUp(parsePreSignUpEvent(event));
    return event;
  });
}

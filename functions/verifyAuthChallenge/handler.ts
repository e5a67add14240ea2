import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { parseVerifyEvent } from '../../shared/auth/events.js';
import { createVerifyService, type VerifyDependencies } from '../../shared/auth/verify.js';
import { wrapTrigger } from '../../shared/handler.js';

export function makeVerifyAuthChallengeHandler(deps: VerifyDependencies) {
  const verifyAnswer = createVerifyService(deps);
  return wrapTrigger<VerifyAuthChallengeResponseTriggerEvent>(deps.logger, async (event) => {
    const { answerCorrect } = await verifyAnswer(parseVerifyEvent(event));
    event.response.answerCorrect = answerCorrect;
    return event;
  }, deps.metrics);
}

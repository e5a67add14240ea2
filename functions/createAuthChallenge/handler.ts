import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { type CreateDependencies, createChallengeService } from '../../shared/auth/create.js';
import { parseCreateEvent } from '../../shared/auth/events.js';
import { wrapTrigger } from '../../shared/handler.js';

export function makeCreateAuthChallengeHandler(deps: CreateDependencies) {
  const createChallenge = createChallengeService(deps);
  return wrapTrigger<CreateAuthChallengeTriggerEvent>(deps.logger, async (event) => {
    const challenge = await createChallenge(parseCreateEvent(event));
    Object.assign(event.response, challenge);
    return event;
  }, deps.metrics);
}

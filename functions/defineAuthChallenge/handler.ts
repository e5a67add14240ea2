import type { Logger } from '@aws-lambda-powertools/logger';
import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import type { DefineConfig } from '../../shared/auth/config.js';
import { decideNextStep } from '../../shared/auth/define.js';
import { parseDefineEvent } from '../../shared/auth/events.js';
import { wrapTrigger } from '../../shared/handler.js';

export function makeDefineAuthChallengeHandler(deps: { config: DefineConfig; logger: Logger }) {
  return wrapTrigger<DefineAuthChallengeTriggerEvent>(deps.logger, async (event) => {
    const request = parseDefineEvent(event);
    const decision = decideNextStep(request.session, request.userNotFound, deps.config);
    deps.logger.info('Next step decided', { decision, rounds: request.session.length });
    const response = event.response as { challengeName?: string; issueTokens: boolean; failAuthentication: boolean };
    response.issueTokens = decision.outcome === 'issueTokens';
    response.failAuthentication = decision.outcome === 'fail';
    if (decision.outcome === 'challenge') response.challengeName = decision.challengeName;
    else delete response.challengeName;
    return event;
  });
}

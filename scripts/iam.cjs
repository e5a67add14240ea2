// serverless.yml: `${file(./scripts/iam.cjs):…}` — the IAM documents every function role shares.
// Each function writes only to its own log group (serverless names it /aws/lambda/<service>-<stage>-<function>).
const FUNCTIONS = ['defineAuthChallenge', 'createAuthChallenge', 'verifyAuthChallenge', 'preTokenGeneration', 'userMigration', 'preSignUp'];

module.exports.lambdaTrust = () => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** `logs.<functionName>`: a policy that lets that function write to its own log group only. */
module.exports.logs = async ({ resolveVariable }) => {
  const service = await resolveVariable('self:service');
  const stage = await resolveVariable('sls:stage');
  const policy = (functionName) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::Sub': `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}-${functionName}:*` },
      },
    ],
  });
  return Object.fromEntries(FUNCTIONS.map((name) => [name, policy(name)]));
};

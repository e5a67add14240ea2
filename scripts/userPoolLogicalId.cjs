// serverless.yml: `${file(./scripts/userPoolLogicalId.cjs)}` — the logical id serverless gives the
// user pool it creates for the `cognitoUserPool` events (naming.getCognitoUserPoolLogicalId:
// "CognitoUserPool" + the pool name with only letters and digits, first letter upper-cased),
// so that resources can !Ref / !GetAtt that pool whatever the stage or `userPoolName` parameter.
module.exports = async ({ resolveVariable }) => {
  const poolName = String(await resolveVariable('param:userPoolName'));
  const alphanumeric = poolName.replace(/[^0-9A-Za-z]/g, '');
  return `CognitoUserPool${alphanumeric.charAt(0).toUpperCase()}${alphanumeric.slice(1)}`;
};

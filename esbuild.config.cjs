// The one place that holds the bundling options: used by `npm run build`, `npm run bench`
// and serverless-esbuild (serverless.yml → custom.esbuild.config), so what is measured is what is deployed.
const FUNCTIONS = {
  defineAuthChallenge: 'functions/defineAuthChallenge/index.ts',
  createAuthChallenge: 'functions/createAuthChallenge/index.ts',
  verifyAuthChallenge: 'functions/verifyAuthChallenge/index.ts',
  preTokenGeneration: 'functions/preTokenGeneration/index.ts',
  userMigration: 'functions/userMigration/index.ts',
  preSignUp: 'functions/preSignUp/index.ts',
};

const bundleOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The SDK's ES module build tree-shakes; its CommonJS build (esbuild's default pick) does not.
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  // The Lambda runtime's own SDK is not used: bundling our pinned version is smaller to load.
  external: [],
  // In Lambda, credentials are always in environment variables: the default provider chain is dead weight.
  alias: { '@aws-sdk/credential-provider-node': require('node:path').join(__dirname, 'shared/aws/lambdaCredentials.ts') },
};

// serverless-esbuild calls the exported function; the build script reads the properties.
module.exports = () => ({ ...bundleOptions });
module.exports.FUNCTIONS = FUNCTIONS;
module.exports.bundleOptions = bundleOptions;

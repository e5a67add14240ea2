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

const { join } = require('node:path');

// Create loads its SMS path (shared/delivery/smsChannel.ts) with a dynamic import(), so an email-only
// deployment never evaluates it. esbuild cannot tree-shake a lazily initialised module, so importing the whole
// SNS client there would keep all of its commands (+16 KB): the few names the channel uses come from their own
// files instead. Importing any other name from the package fails the build.
const SDK_SUBSETS = {
  '@aws-sdk/client-sns': { SNSClient: 'dist-es/SNSClient.js', PublishCommand: 'dist-es/commands/PublishCommand.js' },
};
const sdkSubsets = {
  name: 'sdk-subsets',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(SDK_SUBSETS).map((name) => name.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'sdk-subset' }));
    build.onLoad({ filter: /.*/, namespace: 'sdk-subset' }, (args) => ({
      contents: Object.entries(SDK_SUBSETS[args.path])
        .map(([name, file]) => `export { ${name} } from ${JSON.stringify(`${args.path}/${file}`)};`)
        .join('\n'),
      resolveDir: __dirname,
      loader: 'js',
    }));
  },
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
  alias: { '@aws-sdk/credential-provider-node': join(__dirname, 'shared/aws/lambdaCredentials.ts') },
  plugins: [sdkSubsets],
};

// serverless-esbuild calls the exported function; the build script reads the properties.
// Under `serverless invoke local`, class names are kept so that errors print as ConfigError rather than "Se"
// (osls reports constructor names; Lambda reports error.name, which the suite sets). Deployed bundles stay
// without: keeping names costs about 7% of each bundle (`npm run bench`, README "Performance").
const invokesLocally = (serverless) => serverless?.processedInput?.commands?.join(' ') === 'invoke local';
module.exports = (serverless) => ({ ...bundleOptions, keepNames: invokesLocally(serverless) });
module.exports.FUNCTIONS = FUNCTIONS;
module.exports.bundleOptions = bundleOptions;

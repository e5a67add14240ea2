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

// The userMigration bundle holds only the deployed directory's driver: open.ts's other branches fold away
// (shared/migration/directories/open.ts). serverless-esbuild passes the deployed LEGACY_DIRECTORY; `npm run
// build` and the bench build for $LEGACY_DIRECTORY, else the default directory (dynamodb).
const directoryDefine = (kind) => (kind ? { 'process.env.LEGACY_DIRECTORY_BUNDLE': JSON.stringify(String(kind)) } : {});

const bundleOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // ES module builds tree-shake; CommonJS builds (esbuild's default pick) do not (@smithy/signature-v4's).
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  // The functions call AWS through shared/aws (no AWS SDK client in a bundle: test/bundle/awsSdk.test.ts), so
  // neither the Lambda runtime's SDK nor a bundled one is loaded at cold start.
  external: [],
  define: directoryDefine(process.env.LEGACY_DIRECTORY || 'dynamodb'),
};

// serverless-esbuild calls the exported function with the serverless instance (variables resolved);
// the build script reads the properties.
// Under `serverless invoke local`, class names are kept so that errors print as ConfigError rather than "Se"
// (osls reports constructor names; Lambda reports error.name, which the suite sets). Deployed bundles stay
// without: keeping names costs 5–7% of each bundle (+26 KB for Create) (`npm run bench`, README "Performance").
const invokesLocally = (serverless) => serverless?.processedInput?.commands?.join(' ') === 'invoke local';
module.exports = (serverless) => ({
  ...bundleOptions,
  keepNames: invokesLocally(serverless),
  define: { ...bundleOptions.define, ...directoryDefine(serverless?.service?.functions?.userMigration?.environment?.LEGACY_DIRECTORY) },
});
module.exports.directoryDefine = directoryDefine;
module.exports.FUNCTIONS = FUNCTIONS;
module.exports.bundleOptions = bundleOptions;

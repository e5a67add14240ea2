// Local osls plugin (serverless.yml → plugins). Two jobs:
// 1. Before packaging (so before `serverless deploy` too), check the settings the way AWS would meet them:
//    every function's own cold-start configuration loader runs against the environment serverless resolved
//    for it, and the parameters no function reads are checked for their values and combinations
//    (scripts/serverless/parameters.ts). Any problem fails the command with one line per problem.
// 2. `serverless invoke local` exits when the handler fails to load (a cold-start configuration error):
//    osls reports the error but returns, and serverless-esbuild's build context then keeps the process alive.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** The TypeScript checks, through tsx (a devDependency, as osls and serverless-esbuild are). */
function loadChecks() {
  const tsx = require('tsx/cjs/api');
  return {
    ...tsx.require('./functionChecks.ts', __filename),
    ...tsx.require('./parameters.ts', __filename),
  };
}

/** `VARIABLE: ${param:name}` lines of serverless.yml: which parameter sets which environment variable. */
function parametersByVariable(serviceDir) {
  const text = readFileSync(join(serviceDir, 'serverless.yml'), 'utf8');
  const found = {};
  for (const match of text.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*['"]?\$\{param:(\w+)\}['"]?\s*$/gm)) found[match[1]] = `\${param:${match[2]}}`;
  return found;
}

class DeployChecks {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.check(),
      'before:invoke:local:invoke': () => this.exitWhenInvokeFails(),
    };
  }

  check() {
    const { service } = this.serverless;
    const written = parametersByVariable(this.serverless.serviceDir);
    const providerEnvironment = service.provider.environment ?? {};
    const functions = {};
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      functions[name] = { environment: { ...providerEnvironment, ...(fn.environment ?? {}) }, written };
    }
    const { functionProblems, parameterProblems } = loadChecks();
    const problems = [...parameterProblems(service.custom?.deployChecks ?? {}), ...functionProblems(functions)];
    if (problems.length > 0) {
      throw new this.serverless.classes.Error(
        `The deploy settings would fail in AWS (nothing was packaged or deployed):\n  - ${problems.join('\n  - ')}`,
        'COGNITO_AUTH_TRIGGERS_SETTINGS',
      );
    }
  }

  /** Wraps osls's invoke local so that a failed load ends the process (exit code 1) once the error is printed. */
  exitWhenInvokeFails() {
    const plugins = this.serverless.pluginManager.plugins;
    const invokeLocal = plugins.find((plugin) => plugin.constructor.name === 'AwsInvokeLocal');
    const esbuild = plugins.find((plugin) => typeof plugin.disposeContexts === 'function');
    if (invokeLocal === undefined || invokeLocal.invokeLocal.wrappedByDeployChecks) return;
    const original = invokeLocal.invokeLocal.bind(invokeLocal);
    invokeLocal.invokeLocal = async (...args) => {
      try {
        return await original(...args);
      } catch (error) {
        await esbuild?.disposeContexts().catch(() => undefined);
        // Whatever else the failed handler left open (its SDK sockets), osls prints the error, then we exit.
        setTimeout(() => process.exit(process.exitCode || 1), 1_000).unref();
        throw error;
      }
    };
    invokeLocal.invokeLocal.wrappedByDeployChecks = true;
  }
}

module.exports = DeployChecks;

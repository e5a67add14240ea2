import { readFileSync } from 'node:fs';
import { LOCAL_DEFAULTS, lambdaContext, loadHandler, logsToStderr } from '../localEnv.js';
import { SERVED_KINDS, type ServedKind, startLocalDirectory } from './servers.js';

/**
 * npm run directory -- serve <ldap|postgres|mysql|http|cognito>
 *   Starts that directory on loopback with the sample users of local/directories/users.json and prints the
 *   environment for it (eval it, then `npm run invoke -- userMigration …`); stops on Ctrl-C.
 * npm run directory -- invoke <kind> <event.json>
 *   Starts the directory, runs the userMigration handler on the event with it, prints the answer, stops.
 */
async function main(): Promise<number> {
  const [mode, kind, eventFile] = process.argv.slice(2);
  if ((mode !== 'serve' && mode !== 'invoke') || !SERVED_KINDS.includes(kind as ServedKind) || (mode === 'invoke' && eventFile === undefined)) {
    process.stderr.write(`Usage: npm run directory -- serve <${SERVED_KINDS.join('|')}>\n       npm run directory -- invoke <${SERVED_KINDS.join('|')}> <event.json>\n`);
    return 2;
  }
  const directory = await startLocalDirectory(kind as ServedKind);
  if (mode === 'serve') {
    for (const [name, value] of Object.entries(directory.env)) process.stdout.write(`export ${name}='${value.replace(/'/g, "'\\''")}'\n`);
    process.stderr.write(`${kind} is serving the sample users; Ctrl-C stops it.\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await directory.stop();
    return 0;
  }
  try {
    for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) process.env[name] ??= value;
    Object.assign(process.env, directory.env);
    await logsToStderr();
    const handler = await loadHandler('userMigration');
    const event = JSON.parse(readFileSync(eventFile as string, 'utf8')) as unknown;
    try {
      process.stdout.write(`${JSON.stringify(await handler(event, lambdaContext('userMigration')), null, 2)}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`userMigration failed with error ${(error as Error).message}\n`);
      return 1;
    }
  } finally {
    await directory.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);

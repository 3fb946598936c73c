import { countAccounts } from './accounts/data.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

/** Starts Motus: reads the environment, migrates the database, and serves HTTP until stopped. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const motus = await buildApp(config);
  const { app } = motus;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await motus.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  const where = motus.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`;
  const accounts = await countAccounts(motus.database.db);
  const lines = [
    '',
    `  Motus is running at ${config.publicUrl}  (listening on ${config.host}:${config.port})`,
    `  Data: ${where}`,
    config.smtpUrl ? '  Mail: sent over SMTP' : config.devMailbox ? `  Mail: kept locally — read it at ${config.publicUrl}/dev/mailbox` : '  Mail: kept in the outbox (set SMTP_URL to send it); list it with `npm run motus -- mail list`',
    `  API: ${config.publicUrl}/api/docs`,
  ];
  if (accounts === 0) {
    lines.push(
      '',
      '  First run: create your account at ' + `${config.publicUrl}/sign-up`,
      '  and an operator account with `npm run motus -- operator create --email you@example.org --name "Your Name"`.',
    );
  }
  console.log(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

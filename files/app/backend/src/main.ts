import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app';
import { JsonLogger } from './logging/json-logger';
import { SERVICE_NAME, VERSION } from './version';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      new JsonLogger().fatal({ msg: `${SERVICE_NAME} cannot start: ${error.problems.join('; ')}`, problems: error.problems }, 'config');
      process.exit(2);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  const app = await createApp(config, logger);
  // SIGTERM (systemd, docker) and SIGINT (PM2's stop and restart): stop accepting, finish the requests in
  // flight, close the connection pool, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.port, config.host);
  logger.log({ msg: 'listening', service: SERVICE_NAME, version: VERSION, host: config.host, port: config.port }, 'bootstrap');
}

main().catch((error: unknown) => {
  new JsonLogger().fatal(error instanceof Error ? error : String(error), 'bootstrap');
  process.exit(1);
});

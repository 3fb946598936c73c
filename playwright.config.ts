import { defineConfig } from '@playwright/test';

// Browser tests drive Debian's Chromium (browsers cannot be downloaded here) against the built app,
// served by the real server on its own fresh embedded database.
const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = `.tmp/e2e-${process.pid}`;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: `node src/main.ts`,
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DEV_MAILBOX: 'true',
      SIGN_INS_PER_ADDRESS_PER_MINUTE: '10000',
      SIGN_IN_FAILURES_PER_ADDRESS: '10000',
      SIGN_UPS_PER_ADDRESS_PER_HOUR: '10000',
    },
  },
});

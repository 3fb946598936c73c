import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp, usingPostgres } from './support/app.ts';
import { Client } from './support/client.ts';
import { runCli } from './support/server-process.ts';

// ENGINEERING.md §1: `npm run demo` fills in a sample practice a newcomer can click through at once:
// the console, a practitioner's patients, and a programme the patient's page opens.

describe('the demo practice', () => {
  it('is added once, through the services, with patients and a programme the patient’s page opens', async () => {
    const dataDir = usingPostgres ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'motus-demo-'));
    let app = await createTestApp(dataDir ? { dataDir } : {});
    const env: Record<string, string> = app.databaseUrl ? { DATABASE_URL: app.databaseUrl } : { DATA_DIR: dataDir! };
    // The embedded database belongs to one process at a time: hand it over to the tool.
    if (!app.databaseUrl) await app.close();
    try {
      const first = await runCli(['demo'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('Demo data added.');
      const code = /code ([a-z]{8}), year of birth 1958/.exec(first.stdout)?.[1];
      expect(code, first.stdout).toBeDefined();
      const again = await runCli(['demo'], env);
      expect(again.stdout).toContain('Demo data is there already.');
      expect(again.stdout).toContain(`code ${code}`);

      if (!app.databaseUrl) app = await createTestApp({ dataDir: dataDir! });
      const physio = new Client(app.app);
      expect((await physio.signIn('demo.physio@motus.test', 'motus demo practice')).statusCode).toBe(200);
      const patients = (await physio.get('/api/patients')).json().patients as Array<{ firstName: string }>;
      expect(patients.map((p) => p.firstName).sort()).toEqual(['Grace', 'Lena', 'Omar']);
      const opened = await new Client(app.app, { ip: '203.0.113.200' }).post('/api/programme-view', { code, yearOfBirth: 1958 });
      expect(opened.statusCode).toBe(200);
      expect(opened.json().programme).toMatchObject({ readOnly: false, practitioner: { name: 'Pat Physio' } });
      expect(opened.json().programme.items).toHaveLength(3);
    } finally {
      await app.close();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

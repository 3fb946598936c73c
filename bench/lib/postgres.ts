import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway database created next to `baseUrl`, dropped by `drop()`. */
export interface BenchDatabase {
  name: string;
  url: string;
  /** Server version, e.g. "15.20". */
  version: string;
  /** Process ids of the PostgreSQL backends currently connected to this database. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

async function withAdmin<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(baseUrl: string): Promise<BenchDatabase> {
  const name = `motus_bench_${randomBytes(6).toString('hex')}`;
  const version = await withAdmin(baseUrl, async (admin) => {
    await admin.query(`create database ${name}`);
    const { rows } = await admin.query<{ server_version: string }>('show server_version');
    return rows[0]!.server_version;
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    version,
    backendPids: () =>
      withAdmin(baseUrl, async (admin) => {
        const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name]);
        return rows.map((r) => Number(r.pid));
      }),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(baseUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

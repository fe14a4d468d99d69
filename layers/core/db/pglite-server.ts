import { type PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PgliteServerOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0, any free port */
  readonly port?: number;
  /**
   * Clients allowed at once. They share PGlite's single backend: the server runs one statement at a time
   * and holds the others back while a client's transaction is open.
   * @default 16
   */
  readonly maxConnections?: number;
}

export interface PgliteServer {
  readonly host: string;
  readonly port: number;
  /** For `pg` and any other Postgres client. PGlite accepts any password, and has one database. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 16;

/** Serves a PGlite instance over the Postgres wire protocol, so the real `pg` driver can reach it. */
export async function servePglite(pglite: PGlite, options: PgliteServerOptions = {}): Promise<PgliteServer> {
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({
    db: pglite,
    host,
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  });
  await server.start();
  // `host:port` once listening; the port is the one the OS chose when asked for 0.
  const port = Number(server.getServerConn().split(':').at(-1));
  return {
    host,
    port,
    connectionString: `postgresql://postgres@${host}:${port}/postgres`,
    stop: () => server.stop(),
  };
}

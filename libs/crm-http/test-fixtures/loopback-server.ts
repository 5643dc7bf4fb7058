import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The connections open right now (kept-alive ones included). */
  sockets: ReadonlySet<Socket>;
  /** Destroys every open connection, then closes the listener. */
  close(): Promise<void>;
}

/** A node:http server on an ephemeral loopback port, answering each request with `onRequest`: the CRM in unit tests. */
export async function startLoopbackServer(onRequest: Handler): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer(onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A TCP relay on 127.0.0.1 between counters and the sync server that a fault test can cut:
 * `cut()` drops every open connection at once (mid-request, like a dropped 2G link) and
 * refuses new ones until `restore()`. `dropAfterBytes(n)` cuts each new connection after n
 * bytes towards the server, so a push dies halfway through its body (open connections are
 * dropped when the limit changes).
 */
import net from 'node:net';

export interface LinkProxy {
  url: string;
  cut(): void;
  restore(): void;
  /** Every new connection is dropped after this many bytes towards the server (null: never). */
  dropAfterBytes(limit: number | null): void;
  close(): Promise<void>;
  /** Connections dropped by a cut or a byte limit. */
  readonly drops: number;
}

export async function startLinkProxy(target: { host: string; port: number }): Promise<LinkProxy> {
  const open = new Set<net.Socket>();
  let down = false;
  let byteLimit: number | null = null;
  let drops = 0;
  const server = net.createServer((client) => {
    if (down) {
      drops += 1;
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    let sent = 0;
    const limit = byteLimit;
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (limit !== null && sent > limit) {
        drops += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => {
      down = true;
      drops += open.size / 2;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore: () => {
      down = false;
    },
    dropAfterBytes: (limit) => {
      byteLimit = limit;
      // Connections opened under the old limit keep it; a new limit starts on fresh ones.
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
    get drops() {
      return drops;
    },
  };
}

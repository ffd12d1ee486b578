/**
 * A TCP relay on 127.0.0.1 between counters and the sync server that a fault test can cut:
 * `cut()` drops every open connection at once (mid-request, like a dropped 2G link) and
 * refuses new ones until `restore()`. `dropAfterBytes(n)` cuts each new connection after n
 * bytes towards the server, so a push dies halfway through its body (open connections are
 * dropped when the limit changes); `throttle(n)` paces both directions to n bytes a second.
 */
import net from 'node:net';

export interface LinkProxy {
  url: string;
  cut(): void;
  restore(): void;
  /** Every new connection is dropped after this many bytes towards the server (null: never). */
  dropAfterBytes(limit: number | null): void;
  /** Both directions at most this many bytes a second, like a 2G link (null: full speed). */
  throttle(bytesPerSecond: number | null): void;
  close(): Promise<void>;
  /** Connections dropped by a cut or a byte limit. */
  readonly drops: number;
}

export async function startLinkProxy(target: { host: string; port: number }): Promise<LinkProxy> {
  const open = new Set<net.Socket>();
  let down = false;
  let byteLimit: number | null = null;
  let drops = 0;
  let rate: number | null = null;
  /** Bytes go out in 100 ms slices of the allowed rate, in order. */
  const paced = (socket: net.Socket) => {
    const queue: Buffer[] = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      timer = null;
      let budget = rate === null ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(rate / 10));
      while (queue.length > 0 && budget > 0) {
        const chunk = queue[0];
        if (chunk === undefined) break;
        if (chunk.length <= budget) {
          queue.shift();
          budget -= chunk.length;
          if (!socket.destroyed) socket.write(chunk);
        } else {
          if (!socket.destroyed) socket.write(chunk.subarray(0, budget));
          queue[0] = chunk.subarray(budget);
          budget = 0;
        }
      }
      if (queue.length > 0) timer = setTimeout(pump, 100);
    };
    socket.on('close', () => {
      if (timer !== null) clearTimeout(timer);
    });
    return (chunk: Buffer) => {
      if (rate === null && queue.length === 0) {
        socket.write(chunk);
        return;
      }
      queue.push(chunk);
      timer ??= setTimeout(pump, 0);
    };
  };
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
    const toServer = paced(upstream);
    const toClient = paced(client);
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (limit !== null && sent > limit) {
        drops += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      toServer(chunk);
    });
    upstream.on('data', toClient);
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
    throttle: (bytesPerSecond) => {
      rate = bytesPerSecond;
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

/** The browser host started as a child process, and a WebSocket client that calls its channels. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';

export interface HostClient {
  call(channel: string, input?: unknown): Promise<{ ok: boolean }>;
  stop(): void;
}

export async function startHostClient(env: Record<string, string>): Promise<HostClient> {
  const child = spawn(process.execPath, [path.resolve('out/host/serve.js')], {
    env: { ...process.env, KASUWA_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Kasuwa is running at (\S+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`browser host exited with ${String(code)}`)));
    });
    const page = new URL(url);
    const ws = new WebSocket(`ws://${page.host}/ws?token=${page.searchParams.get('token') ?? ''}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    let nextId = 1;
    return {
      call: (channel, input) =>
        new Promise((resolve) => {
          const id = nextId++;
          const onMessage = (data: Buffer) => {
            const frame = JSON.parse(data.toString()) as {
              type: string;
              id?: number;
              envelope?: { ok: boolean };
            };
            if (frame.type === 'result' && frame.id === id && frame.envelope !== undefined) {
              ws.off('message', onMessage);
              resolve(frame.envelope);
            }
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ id, channel, input }));
        }),
      stop: () => {
        ws.close();
        child.kill('SIGTERM');
      },
    };
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
}

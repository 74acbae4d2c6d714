import { DurableObject } from 'cloudflare:workers';
import type { Env } from './index';

// One instance per short link: counts clicks and pushes live totals to open dashboards.
export class ClickCounter extends DurableObject<Env> {
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade') === 'websocket') {
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }

    const clicks = ((await this.ctx.storage.get<number>('clicks')) ?? 0) + 1;
    await this.ctx.storage.put('clicks', clicks);
    for (const socket of this.ctx.getWebSockets()) {
      socket.send(JSON.stringify({ clicks }));
    }
    return Response.json({ clicks });
  }

  async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === 'ping') socket.send('pong');
  }
}

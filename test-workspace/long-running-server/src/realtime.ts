import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

// Pushes score updates to every connected browser; clients subscribe per match.
const subscribers = new Map<string, Set<WebSocket>>();

export function attachRealtime(server: Server): WebSocketServer {
  const wss = new WebSocketServer({ server, path: '/live' });
  wss.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const { subscribe } = JSON.parse(raw.toString()) as { subscribe?: string };
      if (!subscribe) return;
      if (!subscribers.has(subscribe)) subscribers.set(subscribe, new Set());
      subscribers.get(subscribe)!.add(socket);
    });
    socket.on('close', () => {
      for (const sockets of subscribers.values()) sockets.delete(socket);
    });
  });
  return wss;
}

export function broadcast(matchId: string, payload: unknown): number {
  const sockets = subscribers.get(matchId) ?? new Set<WebSocket>();
  const message = JSON.stringify(payload);
  for (const socket of sockets) socket.send(message);
  return sockets.size;
}

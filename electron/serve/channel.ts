import type { WebSocket } from 'ws';
import type { Channel, WireMessage } from '../../shared/rpc';

/** A wire channel over a WebSocket, one JSON text frame per message. */
export function websocketChannel(socket: WebSocket): Channel {
  return {
    send(message) {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      const handler = (data: unknown) => {
        try {
          listener(JSON.parse(String(data)) as WireMessage);
        } catch {
          socket.close(1003, 'invalid message');
        }
      };
      socket.on('message', handler);
      return () => socket.off('message', handler);
    },
    onClose(listener) {
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
  };
}

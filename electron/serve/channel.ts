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
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          message = null;
        }
        if (!message || typeof message !== 'object' || typeof (message as { kind?: unknown }).kind !== 'string') {
          socket.close(1003, 'invalid message');
          return;
        }
        listener(message as WireMessage);
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

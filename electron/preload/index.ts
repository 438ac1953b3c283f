/**
 * The sandboxed preload: exposes exactly one global, `window.studio`, and nothing of Node or of
 * ipcRenderer. Engine requests use the MessagePort main hands over; host actions are a fixed set of
 * invoke channels that main checks for their sender.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { RENDERER_CHANNELS, type HostEvent } from '../../shared/host';
import { createElectronStudio, type PortLike } from './studio';

export const EXPOSED_GLOBAL = 'studio';

const studio = createElectronStudio({
  onPort: (listener) => {
    ipcRenderer.on(RENDERER_CHANNELS.enginePort, (event) => {
      const port = event.ports[0];
      if (port) listener(port as unknown as PortLike);
    });
  },
  onEngineDown: (listener) => {
    ipcRenderer.on(RENDERER_CHANNELS.engineDown, (_event, reason: unknown) => listener(String(reason)));
  },
  onHostEvent: (listener) => {
    ipcRenderer.on(RENDERER_CHANNELS.hostEvent, (_event, hostEvent: HostEvent) => listener(hostEvent));
  },
  invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  getPathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
});

contextBridge.exposeInMainWorld(EXPOSED_GLOBAL, studio);

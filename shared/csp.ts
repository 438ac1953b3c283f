/**
 * The renderer's Content-Security-Policy, the one definition both hosts send as a header (Electron's
 * `app://` scheme and browser mode's server). Scripts only from the app itself, no eval, no
 * plugins, no framing, no form posts. Inline styles stay allowed (React style props, ECharts).
 */
export interface CspOptions {
  /** Where the page may connect beyond 'self' (browser mode: its WebSocket on 127.0.0.1). */
  connect?: string[];
  /** The Vite dev server origin (development only): its scripts and HMR socket are allowed. */
  devServer?: string | undefined;
}

export function rendererCsp(options: CspOptions = {}): string {
  const dev = options.devServer ? new URL(options.devServer).origin : null;
  const devWs = dev ? dev.replace(/^http/, 'ws') : null;
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    // Development only: Vite's React preamble is an inline module script.
    ['script-src', dev ? ["'self'", dev, "'unsafe-inline'"] : ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'", ...(dev ? [dev] : [])]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...(options.connect ?? []), ...(dev && devWs ? [dev, devWs] : [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** The CLI's Log: one readable line per entry on stderr, attributes as key=value. */
import type { Log } from '../core/ports.ts';

export function stderrLog(err: { write(text: string): unknown }): Log {
  const write = (level: string, message: string, attributes?: Record<string, unknown>) => {
    const fields = Object.entries(attributes ?? {})
      .map(([key, value]) => `${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
      .join(' ');
    err.write(`${level}: ${message}${fields ? ` ${fields}` : ''}\n`);
  };
  return {
    info: (message, attributes) => write('info', message, attributes),
    warn: (message, attributes) => write('warning', message, attributes),
    error: (message, attributes) => write('error', message, attributes),
  };
}

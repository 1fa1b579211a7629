import { LoggerService } from '@nestjs/common';
import { LOG_LEVELS, LogLevel } from '../config/config';

type Write = (line: string) => void;

/**
 * Nest's logger as one JSON object per line on stdout (errors included), for PM2's log files and journald:
 * `{"time": ..., "level": ..., "context": ..., "msg": ..., ...fields}`.
 * A message that is an object is merged into the line, so `logger.log({ msg: 'request', status: 200 })` works.
 */
export class JsonLogger implements LoggerService {
  private readonly enabled: Set<string>;

  constructor(
    level: LogLevel = 'log',
    private readonly write: Write = (line) => process.stdout.write(line),
  ) {
    this.enabled = new Set(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1));
    // Nest's 'fatal' is always written.
    this.enabled.add('fatal');
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('log', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }

  private emit(level: string, message: unknown, rest: unknown[]): void {
    if (!this.enabled.has(level)) {
      return;
    }
    // Nest passes the context as the last string argument, and for errors a stack before it.
    const args = [...rest];
    const context = args.length > 0 && typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context) {
      entry.context = context;
    }
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    for (const extra of args) {
      if (typeof extra === 'string' && level === 'error') {
        entry.stack = extra;
      } else if (extra instanceof Error) {
        entry.error = extra.message;
      } else if (extra !== undefined) {
        entry.detail = extra;
      }
    }
    this.write(`${JSON.stringify(entry)}\n`);
  }
}

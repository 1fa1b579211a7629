import { JsonLogger } from './json-logger';

function capture(level?: ConstructorParameters<typeof JsonLogger>[0]): { logger: JsonLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger(level, (line) => {
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, context and message', () => {
    const { logger, lines } = capture();
    logger.log('hello\nworld', 'bootstrap');
    expect(lines).toEqual([{ time: expect.stringMatching(/Z$/), level: 'log', context: 'bootstrap', msg: 'hello\nworld' }]);
  });

  it('merges an object message into the line', () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'request', status: 200 }, 'http');
    expect(lines[0]).toMatchObject({ level: 'log', context: 'http', msg: 'request', status: 200 });
  });

  it("keeps an error's stack as Nest passes it", () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at here', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 'error', context: 'ExceptionsHandler', msg: 'boom', stack: 'Error: boom\n    at here' });
    logger.fatal(new Error('down'), 'bootstrap');
    expect(lines[1]).toMatchObject({ level: 'fatal', msg: 'down', stack: expect.stringContaining('Error: down') });
  });

  it('leaves out the levels below the one asked for, never fatal', () => {
    const { logger, lines } = capture('warn');
    logger.debug('d');
    logger.verbose('v');
    logger.log('l');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(lines.map((line) => line.level)).toEqual(['warn', 'error', 'fatal']);
  });
});

// Turns a service's pino JSON lines into one readable, coloured line with the service's prefix.
const COLOURS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, number> = { 40: 33, 50: 31, 60: 31 };
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg']);

export interface Prefixer {
  (line: string): string;
}

export function createPrefixer(name: string, index: number, width: number, colour: boolean): Prefixer {
  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const prefix = paint(COLOURS[index % COLOURS.length] as number, `${name.padEnd(width)} |`);
  return (line) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return `${prefix} ${line}`;
    }
    if (typeof record !== 'object' || record === null || typeof record['level'] !== 'number')
      return `${prefix} ${line}`;
    const level = record['level'];
    const label = LEVELS[level] ?? String(level);
    const levelText = LEVEL_COLOURS[level] ? paint(LEVEL_COLOURS[level], label) : label;
    const extras = Object.entries(record)
      .filter(([key]) => !OMIT.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    return `${prefix} ${levelText} ${String(record['msg'] ?? '')}${extras ? ` ${paint(90, extras)}` : ''}`;
  };
}

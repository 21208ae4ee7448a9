// Line protocols: a child prints one JSON object per line; each line is parsed against its zod
// schema, and anything that is not a protocol line (a warning, a stack trace) comes back as null
// for the caller to keep as text, never guessed at.
import type { z } from 'zod';

export function parseJsonLine<S extends z.ZodType>(schema: S, text: string): z.infer<S> | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** Whether a process with this PID exists (EPERM: it exists, but is not ours to signal). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Strict parsing of numeric flags, shared by every scenario: plain decimal only (no hex, no
// exponent, no sign), within stated bounds, or a one-line usage error (exit code 2). `1e12`,
// `0x1` and `1e-9` are mistakes on a command line, never a value to guess at.
import { usageError } from '../core/errors.ts';
import type { FlagValues } from './scenario.ts';

export interface NumberRule {
  integer: boolean;
  min: number;
  max: number;
  /** Shown in the error, e.g. "ms" or "MiB". */
  unit?: string;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** The flag's value, `fallback` when absent; throws a usage error naming the flag, value and bounds. */
export function numberFlag(values: FlagValues, flag: string, fallback: number, rule: NumberRule): number {
  const text = values[flag];
  if (text === undefined) return fallback;
  return parseNumber(`--${flag}`, String(text), rule);
}

/** Like numberFlag, but null when absent. */
export function optionalNumberFlag(values: FlagValues, flag: string, rule: NumberRule): number | null {
  return values[flag] === undefined ? null : parseNumber(`--${flag}`, String(values[flag]), rule);
}

export function parseNumber(name: string, text: string, rule: NumberRule): number {
  const n = Number(text);
  const ok =
    DECIMAL.test(text.trim()) &&
    Number.isFinite(n) &&
    n >= rule.min &&
    n <= rule.max &&
    (!rule.integer || Number.isInteger(n));
  if (!ok) {
    const unit = rule.unit ? ` ${rule.unit}` : '';
    throw usageError(
      `${name} ${JSON.stringify(text)}: expected ${rule.integer ? 'a whole number' : 'a decimal number'} from ${rule.min} to ${rule.max}${unit}`,
    );
  }
  return n;
}

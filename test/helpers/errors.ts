import { expect } from 'vitest';
import { InputError } from '../../src/core/errors.js';

/** Runs fn, expects it to throw an InputError, and returns the message for closer checks. */
export function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

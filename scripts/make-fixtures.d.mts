// Types for the parts of the fixture generator that tests import.
export function wideLog(keys?: number): string;
export function deepLog(depth?: number): string;
export function countRecords(bytes: Uint8Array, options?: { loose?: boolean }): number;

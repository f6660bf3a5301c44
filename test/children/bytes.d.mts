/** Types of bytes.mjs, for the TypeScript tests. */
export declare const BYTES: Buffer;
export declare const STDERR_BYTES: Buffer;

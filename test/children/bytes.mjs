// Bytes no decoder should touch: invalid UTF-8, a split multi-byte character, ANSI colour,
// CRLF, a NUL, metadata, and a last line without a newline.
export const BYTES = Buffer.concat([
  Buffer.from('plain line\n'),
  Buffer.from([0xff, 0xfe, 0x80, 0x0a]),
  Buffer.from('\x1b[32m{"step": 1, "loss": 0.5}\x1b[0m\r\n'),
  Buffer.from('caf\xc3', 'latin1'),
  Buffer.from([0xa9, 0x00, 0x0a]),
  Buffer.from('{"step": 2, "loss": NaN}\n'),
  Buffer.from('progress 10%\rprogress 100%\n'),
  Buffer.from('{"step": 3, "loss": 0.25}\n'),
  Buffer.from('no newline at the end'),
]);
export const STDERR_BYTES = Buffer.from('warning: something\n{"step": 9, "err_metric": 1}\n');

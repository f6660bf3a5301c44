import { describe, expect, it } from 'vitest';
import { cliErrorMessage, commandOf } from '../../src/options/cli-error.js';

const COMMANDS = ['sort', 'run', 'gate', 'watch'];

describe('commander errors in vizmeta\'s style', () => {
  it.each([
    ["error: unknown command 'sortt'\n(Did you mean sort?)", 'commander.unknownCommand', ['sortt'], "vizmeta: unknown command 'sortt'; did you mean sort? (vizmeta --help lists the commands)\n"],
    ["error: unknown option '--bye'\n(Did you mean --by?)", 'commander.unknownOption', ['sort', '--bye', 'loss'], "vizmeta sort: unknown option '--bye'; did you mean --by? (vizmeta sort --help for usage)\n"],
    ["error: required option '--by <key>' not specified", 'commander.missingMandatoryOptionValue', ['sort', 'a.log'], "vizmeta sort: required option '--by <key>' not specified (vizmeta sort --help for usage)\n"],
    ["error: too many arguments for 'demo'. Expected 0 arguments but got 1.", 'commander.excessArguments', ['demo', 'x'], "vizmeta: too many arguments for 'demo'. Expected 0 arguments but got 1 (vizmeta --help lists the commands)\n"],
    ["error: unknown option '--lr'", 'commander.unknownOption', ['run', 'python3', 'train.py', '--lr', '0.1'], "vizmeta run: unknown option '--lr'; put the job's own options after --: vizmeta run -- python3 train.py --lr 0.1\n"],
    ["error: unknown option '--lr'", 'commander.unknownOption', ['run', '--quiet', 'python3', 'train.py', '--lr', '0.1'], "vizmeta run: unknown option '--lr'; put the job's own options after --: vizmeta run [OPTIONS] -- CMD [ARGS...]\n"],
    ["error: unknown option '--lr'", 'commander.unknownOption', ['run', '--keys=loss', 'python3', 'it\'s.py', '--lr'], "vizmeta run: unknown option '--lr'; put the job's own options after --: vizmeta run --keys=loss -- python3 'it'\\''s.py' --lr\n"],
  ])('%j', (message, code, argv, expected) => {
    expect(cliErrorMessage(message, code, argv, COMMANDS)).toBe(expected);
  });

  it('knows the command from the first word that is not an option', () => {
    expect(commandOf(['sort', 'run'], COMMANDS)).toBe('sort');
    expect(commandOf(['--no-color', 'gate', 'a.log'], COMMANDS)).toBe('gate');
    expect(commandOf(['--version'], COMMANDS)).toBeUndefined();
    expect(commandOf([], COMMANDS)).toBeUndefined();
  });
});

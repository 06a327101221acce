export { exitCodes, type ExitCode } from './exit-codes.js';
export { createProgram, runCli } from './program.js';

export {
  extractSnippetPrograms,
  fencedBlocks,
  SnippetMarkerError,
  type SnippetProgram,
} from './extract-snippets.js';
export { docFiles, findDocPrograms, programFileName } from './find-doc-programs.js';
export {
  type AddressMap,
  defaultAddressCall,
  rewriteAddresses,
  type SnippetAddress,
  snippetAddresses,
} from './rewrite-addresses.js';
export {
  needsTls,
  type RunAgainstServersOptions,
  runAgainstServers,
} from './run-against-servers.js';
export { type ProgramOutcome, type RunProgramOptions, runProgram } from './run-program.js';
export { type TypeDiagnostic, typecheckPrograms } from './typecheck-programs.js';

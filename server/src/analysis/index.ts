// Public surface of the analysis core (no LSP types): used by the language server and the CLI.
export { analyze, analyzeTree, analysisReady, initAnalysis } from './analyze';
export { DocumentTrees } from './incremental';
export { describeAt } from './hover';
export { RULES } from './rules';
export { isEnabled } from './select';
export * from './types';

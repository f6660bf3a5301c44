/**
 * vizmeta as a library: the line grammar and record reader other tools can reuse.
 *
 *   import { classifyLine, LineReader, readStream } from 'vizmeta';
 */
export type { JsonObject, JsonValue, MetadataRecord, Diagnostic } from './core/types.js';
export { classifyLine, parseCleanLine, splitTimestampPrefix, type ClassifiedLine, type LineGrammarOptions } from './parsers/line.js';
export { parseJsonObject, parseObjectAt, JsonSyntaxError, MAX_DEPTH } from './parsers/json.js';
export { toRecord, unwrapValohai, parseIsoTime, getPath, flattenValues } from './parsers/metadata.js';
export { LineReader, readStream, DEFAULT_MAX_LINE_BYTES, type ReadOptions, type RecordSink } from './parsers/source.js';
export { escapeForTerminal } from './core/escape.js';
export { toJsonLine, type NonFiniteStyle } from './render/json.js';
export { UsageError, InputError, ExitCode } from './core/errors.js';
export { DashboardModel, type ModelOptions, type ModelView } from './analyse/dashboard-model.js';
export { renderDashboard, dashboardLines, type DashboardState, type DashboardOptions } from './render/dashboard.js';
export { SummaryBuilder, summarizeRecords, aggregateOf, directionOf, tendencyOf, type ExecutionSummary, type KeySummary, type Aggregate, type Direction, type DirectionOverrides, type Tendency } from './analyse/summary.js';
export { summarizeFile, summarizeExecutions, type SummarizeOptions } from './input/executions.js';
export { mergeKeySummaries, mergeExecutionSummaries } from './analyse/merge.js';
export { encodeExecution, decodeExecution, headerLine, parseHeader, looksLikeSummary, SUMMARY_FORMAT, SUMMARY_VERSION, type SummaryHeader } from './analyse/summary-format.js';
export { Moments, type PlainMoments } from './analyse/moments.js';
export { Quantiles, EXACT_VALUES, RELATIVE_ACCURACY, type PlainQuantiles } from './analyse/quantiles.js';
export { parseKubeflowMetrics } from './formats/kubeflow-metrics.js';
export { loadConfig, validateConfig, CONFIG_SCHEMA, type VizmetaConfig } from './formats/config.js';
export { loadSchemaFile, compileSchema, type LoadedSchema } from './formats/schema.js';
export { evaluateGate, type GateReport } from './analyse/gate.js';
export { describeCheck } from './render/gate.js';
export { loadRenderer, runRenderer, type CustomRenderer, type RendererFunction } from './render/custom-renderer.js';
export { parseUiMetadata, locateSource, readLocalSource, type UiMetadata, type UiOutput, type SourceLocation } from './formats/kubeflow-ui.js';
export { renderMarkdownTerminal, type MarkdownTerminalOptions } from './render/markdown-terminal.js';
export { DIALECTS, parseDialects, type Dialect, type DialectSet } from './parsers/dialects/dialects.js';
export { parsePythonDict } from './parsers/dialects/python-dict.js';
export { KerasProgress } from './parsers/dialects/keras.js';
export { splitKnownPrefix, CriJoiner, ORIGIN_FIELD } from './parsers/dialects/prefixes.js';
export { readTensorBoardEvents, TensorBoardReader } from './parsers/frameworks/tensorboard.js';
export { discoverFrameworkInputs, readFrameworkInput, type DiscoveredInput } from './parsers/frameworks/discover.js';

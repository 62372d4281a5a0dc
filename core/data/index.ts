/**
 * The per-run data store: the host-side API (DataStore, FolderDataStore for a run record, the memory
 * one), the `caisson-data` script and what a run does to reach it from containers.
 */
export { MemoryDataStore, FolderDataStore, checkDataName, dataNameProblem, DATA_DIR, type DataStore } from './data-store.ts';
export { DATA_SCRIPT, DATA_SCRIPT_PATH, DATA_ROOT } from './data-script.ts';
export { RunData, debugDataArchive } from './run-data.ts';
export { pipelineData, withDataFiles, type DataFiles } from './pipeline-data.ts';

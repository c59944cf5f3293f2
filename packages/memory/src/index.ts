export { MemoryLockNode, type MemoryLockNodeOptions } from './memory-lock-node.js';
export { type MemoryClock, MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { linePlaces } from './memory-waiting-line.js';

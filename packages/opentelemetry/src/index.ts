export { RedlockAttributes } from './attributes.js';
export {
  instrumentRedlock,
  type RedlockInstrumentation,
  type RedlockInstrumentationOptions,
} from './instrument-redlock.js';

import { defineRedlockProject } from '../../vitest.shared.js';

export default defineRedlockProject('memory');

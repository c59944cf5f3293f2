import { defineRedlockProject } from '../../vitest.shared';

export default defineRedlockProject('memory');

import type { Fault } from './scenario.js';

/** What applying a fault schedule needs from the world. */
export interface FaultTarget {
  at(virtualMs: number, label: string, action: () => void): void;
  cut(client: number, servers: readonly number[]): void;
  heal(client: number, servers: readonly number[]): void;
  crashServer(server: number): void;
  restartServer(server: number, dataLost: boolean): void;
  pauseClient(client: number, durationMs: number): void;
  crashClient(client: number): void;
}

/** Schedule every fault of a scenario: its start, and its end where it has one. */
export function scheduleFaults(faults: readonly Fault[], target: FaultTarget): void {
  for (const fault of faults) {
    switch (fault.kind) {
      case 'partition':
        target.at(fault.atMs, 'partition', () => target.cut(fault.client, fault.servers));
        target.at(fault.atMs + fault.durationMs, 'heal', () =>
          target.heal(fault.client, fault.servers),
        );
        break;
      case 'crash':
        target.at(fault.atMs, 'crash', () => target.crashServer(fault.server));
        target.at(fault.atMs + fault.durationMs, 'restart', () =>
          target.restartServer(fault.server, fault.dataLost),
        );
        break;
      case 'pause':
        target.at(fault.atMs, 'pause', () => target.pauseClient(fault.client, fault.durationMs));
        break;
      case 'client-crash':
        target.at(fault.atMs, 'client crash', () => target.crashClient(fault.client));
        break;
    }
  }
}

/** One line per fault, for reproductions. */
export function describeFault(fault: Fault): string {
  const at = `at ${fault.atMs} ms`;
  switch (fault.kind) {
    case 'partition':
      return `${at}: c${fault.client} cut off from ${fault.servers.map((s) => `n${s}`).join(',')} for ${fault.durationMs} ms`;
    case 'crash':
      return `${at}: n${fault.server} down for ${fault.durationMs} ms, ${fault.dataLost ? 'restarts with its data lost' : 'restarts with its data'}`;
    case 'pause':
      return `${at}: c${fault.client} paused for ${fault.durationMs} ms`;
    case 'client-crash':
      return `${at}: c${fault.client} dies holding whatever it holds`;
  }
}

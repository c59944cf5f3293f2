import { describe, expect, it } from 'vitest';
import { ChannelListeners, type ChannelTransport } from '../src/index.js';

/** A transport that records what it was asked to do. */
function recordingTransport(failSubscribe = false) {
  const log: string[] = [];
  const transport: ChannelTransport = {
    async subscribe(channels) {
      log.push(`SUBSCRIBE ${channels.join(' ')}`);
      if (failSubscribe) throw new Error('connection refused');
    },
    async unsubscribe(channels) {
      log.push(`UNSUBSCRIBE ${channels.join(' ')}`);
    },
  };
  return { log, transport };
}

describe('ChannelListeners', () => {
  it('subscribes a channel for its first listener and unsubscribes after its last', async () => {
    const { log, transport } = recordingTransport();
    const listeners = new ChannelListeners(transport);
    const removeFirst = await listeners.add(['a', 'b'], () => undefined);
    const removeSecond = await listeners.add(['b'], () => undefined);
    await removeFirst();
    await removeSecond();
    expect(log).toEqual(['SUBSCRIBE a b', 'UNSUBSCRIBE a', 'UNSUBSCRIBE b']);
    expect(listeners.channels).toEqual([]);
  });

  it('hands each message to the listeners of its channel only', async () => {
    const listeners = new ChannelListeners(recordingTransport().transport);
    const heardA: string[] = [];
    const heardB: string[] = [];
    await listeners.add(['a'], (message) => heardA.push(message));
    await listeners.add(['b'], (message) => heardB.push(message));
    listeners.dispatch('a', 'value-1');
    expect(heardA).toEqual(['value-1']);
    expect(heardB).toEqual([]);
  });

  it('keeps dispatching to the others when one listener throws', async () => {
    const listeners = new ChannelListeners(recordingTransport().transport);
    const heard: string[] = [];
    await listeners.add(['a'], () => {
      throw new Error('listener bug');
    });
    await listeners.add(['a'], (message) => heard.push(message));
    expect(() => listeners.dispatch('a', 'value')).not.toThrow();
    expect(heard).toEqual(['value']);
  });

  it('forgets a channel whose SUBSCRIBE failed, so the next listener tries again', async () => {
    const failing = recordingTransport(true);
    const listeners = new ChannelListeners(failing.transport);
    await expect(listeners.add(['a'], () => undefined)).rejects.toThrow('connection refused');
    expect(listeners.channels).toEqual([]);
    await expect(listeners.add(['a'], () => undefined)).rejects.toThrow('connection refused');
    expect(failing.log).toEqual(['SUBSCRIBE a', 'SUBSCRIBE a']);
  });

  it('removes the listener again when the caller gave up while subscribing', async () => {
    const { log, transport } = recordingTransport();
    const listeners = new ChannelListeners(transport);
    const reason = new Error('timed out');
    await expect(listeners.add(['a'], () => undefined, AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
    expect(listeners.channels).toEqual([]);
    expect(log).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });

  it('removes a listener only once', async () => {
    const { log, transport } = recordingTransport();
    const listeners = new ChannelListeners(transport);
    const remove = await listeners.add(['a'], () => undefined);
    await remove();
    await remove();
    expect(log).toEqual(['SUBSCRIBE a', 'UNSUBSCRIBE a']);
  });
});

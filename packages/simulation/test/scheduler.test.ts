import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src/scheduler.js';

describe('Scheduler', () => {
  it('runs events by due time, and in insertion order at the same instant', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (delays) => {
        const scheduler = new Scheduler();
        delays.forEach((delayMs, index) => {
          scheduler.schedule(delayMs, 'world', String(index), () => {});
        });
        const order: number[] = [];
        for (let event = scheduler.next(); event; event = scheduler.next()) {
          expect(scheduler.now).toBe(event.dueAt);
          order.push(Number(event.label));
        }
        const expected = delays
          .map((delayMs, index) => ({ delayMs, index }))
          .sort((a, b) => a.delayMs - b.delayMs || a.index - b.index)
          .map(({ index }) => index);
        expect(order).toEqual(expected);
      }),
    );
  });

  it('skips cancelled events', () => {
    const scheduler = new Scheduler();
    const cancelled = scheduler.schedule(1, 'world', 'cancelled', () => {});
    scheduler.schedule(2, 'world', 'kept', () => {});
    cancelled.cancelled = true;
    expect(scheduler.next()?.label).toBe('kept');
    expect(scheduler.next()).toBeUndefined();
  });

  it('requeues a held-back event behind the events already due at that instant', () => {
    const scheduler = new Scheduler();
    const heldBack = scheduler.schedule(1, 0, 'held back', () => {});
    scheduler.schedule(5, 'world', 'due at 5', () => {});
    expect(scheduler.next()).toBe(heldBack);
    scheduler.requeue(heldBack, 5);
    expect(scheduler.next()?.label).toBe('due at 5');
    expect(scheduler.next()).toBe(heldBack);
    expect(scheduler.now).toBe(5);
  });

  it('lets the original handle cancel a requeued event', () => {
    const scheduler = new Scheduler();
    const heldBack = scheduler.schedule(1, 0, 'held back', () => {});
    scheduler.next();
    scheduler.requeue(heldBack, 3);
    heldBack.cancelled = true;
    expect(scheduler.next()).toBeUndefined();
  });
});

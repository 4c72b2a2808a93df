/** The UPDATE parameter records of a batched flush: the generated maker and the plain one agree. */
import { setCodeGeneration } from '@athanor/core';
import { updateParamsMaker } from '../src/unit-of-work/update-params';

afterEach(() => setCodeGeneration(true));

test.each([true, false])('records name the WHERE values athanor_w<n> and the SET values athanor_v<slot> (code generation %s)', (on) => {
  setCodeGeneration(on);
  // Shapes not made before in this process: each run builds its own maker.
  const make = updateParamsMaker(2, on ? [3, 1, 7] : [4, 2, 8]);
  const slots = on ? [3, 1, 7] : [4, 2, 8];
  const record = make(['pk-a', 9], ['x', null, 0]);
  expect(record).toEqual({ athanor_w0: 'pk-a', athanor_w1: 9, [`athanor_v${slots[0]}`]: 'x', [`athanor_v${slots[1]}`]: null, [`athanor_v${slots[2]}`]: 0 });
  expect(Object.keys(record)).toEqual(['athanor_w0', 'athanor_w1', ...slots.map((s) => `athanor_v${s}`)]);
  // Each call makes a new record (the executemany list holds them all).
  expect(make(['b', 1], [1, 2, 3])).not.toBe(make(['b', 1], [1, 2, 3]));
  // The same shape asked again is the same maker.
  expect(updateParamsMaker(2, slots)).toBe(make);
});

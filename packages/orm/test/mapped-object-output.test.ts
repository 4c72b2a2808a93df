/** What a mapped object shows as JSON and in console.log: its loaded column values. */
import { inspect } from 'node:util';
import { Column, Integer, String } from '@athanor/core';
import { declarativeBase } from '@athanor/orm';

const Base = declarativeBase();
class Pet extends Base.mapped('pet_out', { id: Column(Integer, { primaryKey: true }), name: Column(String(20)), age: Column(Integer) }) {}

test('JSON.stringify and inspect show the column values that are set', () => {
  const p = new Pet({ id: 3, name: 'rex' });
  expect(JSON.stringify(p)).toBe('{"id":3,"name":"rex"}');
  expect(inspect(p)).toBe("Pet { id: 3, name: 'rex' }");
  expect(Object.keys(p)).toEqual([]);
});

import { BindParameter, ClauseElement, ColumnElement, Integer, TypeEngine } from '@athanor/core';

/** Builds an object as a second copy of the package would: same class names, other class objects. */
function foreignCopyOf(obj: object): object {
  const chain: object[] = [];
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.push(p);
  let proto: object = Object.prototype;
  for (const p of chain.reverse()) {
    const name = (p as any).constructor.name;
    const copy = Object.create(proto);
    for (const sym of Object.getOwnPropertySymbols(p)) Object.defineProperty(copy, sym, Object.getOwnPropertyDescriptor(p, sym)!);
    Object.defineProperty(copy, 'constructor', { value: { [name]: function () {} }[name] });
    proto = copy;
  }
  return Object.assign(Object.create(proto), obj);
}

describe('instanceof across two copies of the package (dual ESM/CJS loading)', () => {
  test('elements and types from another copy are recognised', () => {
    const bind = foreignCopyOf(new BindParameter('x', 1));
    expect(Object.getPrototypeOf(bind)).not.toBe(BindParameter.prototype);
    expect(bind instanceof BindParameter).toBe(true);
    expect(bind instanceof ColumnElement).toBe(true);
    expect(bind instanceof ClauseElement).toBe(true);
    expect(foreignCopyOf(Integer()) instanceof TypeEngine).toBe(true);
  });
  test('unrelated objects are not', () => {
    expect({} instanceof ClauseElement).toBe(false);
    expect(Integer() instanceof ClauseElement).toBe(false);
    expect(new BindParameter('x', 1) instanceof TypeEngine).toBe(false);
  });
});

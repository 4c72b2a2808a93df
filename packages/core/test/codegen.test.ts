/** Run-time code generation: a generator bug is loud; turning it off is a supported choice. */
import { AthanorError, Column, Integer, MetaData, Table, codeGeneration, select, setCodeGeneration } from '../src/index';
import { CodeGenerationError } from '../src/errors';
import { generateFunction } from '../src/util/codegen';

afterEach(() => setCodeGeneration(true));

test('a generated body that does not compile throws CodeGenerationError with the source, and code generation stays on', () => {
  let caught: unknown;
  try {
    generateFunction(['a'], 'return a +;');
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CodeGenerationError);
  expect(caught).toBeInstanceOf(AthanorError);
  expect((caught as CodeGenerationError).source).toBe('function (a) {\nreturn a +;\n}');
  expect((caught as Error).message).toContain('--- generated source ---\nfunction (a) {\nreturn a +;\n}');
  expect(codeGeneration()).toEqual({ enabled: true });
  expect(generateFunction<(a: number) => number>(['a'], 'return a + 1;')?.(1)).toBe(2);
});

test('setCodeGeneration(false): generators return nothing and statements compile the same', () => {
  const t = new Table('cg', new MetaData(), { id: Column(Integer, { primaryKey: true }), n: Column(Integer) });
  const on = select(t).where(t.c.n.gt(3)).compile();
  setCodeGeneration(false);
  expect(codeGeneration()).toEqual({ enabled: false, reason: 'option' });
  expect(generateFunction(['a'], 'return a;')).toBeUndefined();
  const off = select(t).where(t.c.n.gt(4)).compile();
  expect(off.sql).toBe(on.sql);
  expect(off.params).toEqual({ n_1: 4 });
});

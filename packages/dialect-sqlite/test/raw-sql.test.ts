import { Integer, String, createEngine, text } from '@athanor/core';

describe('text() statements on SQLite', () => {
  const engine = createEngine('sqlite://');
  afterAll(() => engine.dispose());

  test('rows of raw SQL are keyed by the column names', async () => {
    const rows = await engine.connect(async (conn) => (await conn.execute(text("SELECT 1 AS one, 'x' AS two"))).all());
    expect(rows).toEqual([{ one: 1, two: 'x' }]);
  });
  test('.columns() types and processes the rows; :name placeholders bind', async () => {
    const stmt = text('SELECT :n + 1 AS n, :s AS s').columns({ n: Integer, s: String });
    const result = await engine.connect((conn) => conn.execute(stmt, { n: 41, s: 'y' }));
    expect(result.keys()).toEqual(['n', 's']);
    expect(result.all()).toEqual([{ n: 42, s: 'y' }]);
  });
});

/** Functions, CASE, window functions and frames per dialect. */
import { case_, func, literal, select } from '@athanor/core';
import { expectSQL } from './compile-helpers';
import { schema } from './compile-schema';

const { users, posts } = schema();

describe('aggregate and scalar functions', () => {
  test('count(*)', () =>
    expectSQL(select(func.count().label('n')).selectFrom(users), {
      generic: { sql: 'SELECT count(*) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT count(*) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT count(*) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT count(*) AS n FROM users', params: [] },
    }));
  test('count(col)', () =>
    expectSQL(select(func.count(users.c.id).label('n')), {
      generic: { sql: 'SELECT count(users.id) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT count(users.id) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT count(users.id) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT count(users.id) AS n FROM users', params: [] },
    }));
  test('count distinct', () =>
    expectSQL(select(func.countDistinct(users.c.age).label('n')), {
      generic: { sql: 'SELECT count(DISTINCT users.age) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT count(DISTINCT users.age) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT count(DISTINCT users.age) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT count(DISTINCT users.age) AS n FROM users', params: [] },
    }));
  test('sum', () =>
    expectSQL(select(func.sum(users.c.age).label('s')), {
      generic: { sql: 'SELECT sum(users.age) AS s FROM users', params: {} },
      sqlite: { sql: 'SELECT sum(users.age) AS s FROM users', params: [] },
      postgresql: { sql: 'SELECT sum(users.age) AS s FROM users', params: [] },
      mysql: { sql: 'SELECT sum(users.age) AS s FROM users', params: [] },
    }));
  test('sumBig', () =>
    expectSQL(select(func.sumBig(users.c.age).label('s')), {
      generic: { sql: 'SELECT sum(users.age) AS s FROM users', params: {} },
      sqlite: { sql: 'SELECT sum(users.age) AS s FROM users', params: [] },
      postgresql: { sql: 'SELECT sum(users.age) AS s FROM users', params: [] },
      mysql: { sql: 'SELECT sum(users.age) AS s FROM users', params: [] },
    }));
  test('avg', () =>
    expectSQL(select(func.avg(users.c.age).label('a')), {
      generic: { sql: 'SELECT avg(users.age) AS a FROM users', params: {} },
      sqlite: { sql: 'SELECT avg(users.age) AS a FROM users', params: [] },
      postgresql: { sql: 'SELECT avg(users.age) AS a FROM users', params: [] },
      mysql: { sql: 'SELECT avg(users.age) AS a FROM users', params: [] },
    }));
  test('min and max', () =>
    expectSQL(select(func.min(users.c.age).label('lo'), func.max(users.c.age).label('hi')), {
      generic: { sql: 'SELECT min(users.age) AS lo, max(users.age) AS hi FROM users', params: {} },
      sqlite: { sql: 'SELECT min(users.age) AS lo, max(users.age) AS hi FROM users', params: [] },
      postgresql: { sql: 'SELECT min(users.age) AS lo, max(users.age) AS hi FROM users', params: [] },
      mysql: { sql: 'SELECT min(users.age) AS lo, max(users.age) AS hi FROM users', params: [] },
    }));
  test('coalesce', () =>
    expectSQL(select(func.coalesce(users.c.age, 0).label('a')), {
      generic: { sql: 'SELECT coalesce(users.age, :param_1) AS a FROM users', params: { param_1: 0 } },
      sqlite: { sql: 'SELECT coalesce(users.age, ?) AS a FROM users', params: [0] },
      postgresql: { sql: 'SELECT coalesce(users.age, $1) AS a FROM users', params: [0] },
      mysql: { sql: 'SELECT coalesce(users.age, ?) AS a FROM users', params: [0] },
    }));
  test('coalesce of three', () =>
    expectSQL(select(func.coalesce(users.c.age, users.c.id, 0).label('a')), {
      generic: {
        sql: 'SELECT coalesce(users.age, users.id, :param_1) AS a FROM users',
        params: { param_1: 0 },
      },
      sqlite: { sql: 'SELECT coalesce(users.age, users.id, ?) AS a FROM users', params: [0] },
      postgresql: { sql: 'SELECT coalesce(users.age, users.id, $1) AS a FROM users', params: [0] },
      mysql: { sql: 'SELECT coalesce(users.age, users.id, ?) AS a FROM users', params: [0] },
    }));
  test('now', () =>
    expectSQL(select(func.now().label('t')), {
      generic: { sql: 'SELECT now() AS t', params: {} },
      sqlite: { sql: 'SELECT CURRENT_TIMESTAMP AS t', params: [] },
      postgresql: { sql: 'SELECT now() AS t', params: [] },
      mysql: { sql: 'SELECT now() AS t', params: [] },
    }));
  test('current_timestamp', () =>
    expectSQL(select(func.currentTimestamp().label('t')), {
      generic: { sql: 'SELECT CURRENT_TIMESTAMP AS t', params: {} },
      sqlite: { sql: 'SELECT CURRENT_TIMESTAMP AS t', params: [] },
      postgresql: { sql: 'SELECT CURRENT_TIMESTAMP AS t', params: [] },
      mysql: { sql: 'SELECT CURRENT_TIMESTAMP AS t', params: [] },
    }));
  test('current_date', () =>
    expectSQL(select(func.currentDate().label('d')), {
      generic: { sql: 'SELECT CURRENT_DATE AS d', params: {} },
      sqlite: { sql: 'SELECT CURRENT_DATE AS d', params: [] },
      postgresql: { sql: 'SELECT CURRENT_DATE AS d', params: [] },
      mysql: { sql: 'SELECT CURRENT_DATE AS d', params: [] },
    }));
  test('lower', () =>
    expectSQL(select(func.lower(users.c.name).label('l')), {
      generic: { sql: 'SELECT lower(users.name) AS l FROM users', params: {} },
      sqlite: { sql: 'SELECT lower(users.name) AS l FROM users', params: [] },
      postgresql: { sql: 'SELECT lower(users.name) AS l FROM users', params: [] },
      mysql: { sql: 'SELECT lower(users.name) AS l FROM users', params: [] },
    }));
  test('upper', () =>
    expectSQL(select(func.upper(users.c.name).label('u')), {
      generic: { sql: 'SELECT upper(users.name) AS u FROM users', params: {} },
      sqlite: { sql: 'SELECT upper(users.name) AS u FROM users', params: [] },
      postgresql: { sql: 'SELECT upper(users.name) AS u FROM users', params: [] },
      mysql: { sql: 'SELECT upper(users.name) AS u FROM users', params: [] },
    }));
  test('length', () =>
    expectSQL(select(func.length(users.c.name).label('n')), {
      generic: { sql: 'SELECT length(users.name) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT length(users.name) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT length(users.name) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT length(users.name) AS n FROM users', params: [] },
    }));
  test('char_length', () =>
    expectSQL(select(func.charLength(users.c.name).label('n')), {
      generic: { sql: 'SELECT char_length(users.name) AS n FROM users', params: {} },
      sqlite: { sql: 'SELECT length(users.name) AS n FROM users', params: [] },
      postgresql: { sql: 'SELECT char_length(users.name) AS n FROM users', params: [] },
      mysql: { sql: 'SELECT char_length(users.name) AS n FROM users', params: [] },
    }));
  test('trim', () =>
    expectSQL(select(func.trim(users.c.name).label('t')), {
      generic: { sql: 'SELECT trim(users.name) AS t FROM users', params: {} },
      sqlite: { sql: 'SELECT trim(users.name) AS t FROM users', params: [] },
      postgresql: { sql: 'SELECT trim(users.name) AS t FROM users', params: [] },
      mysql: { sql: 'SELECT trim(users.name) AS t FROM users', params: [] },
    }));
  test('abs and round', () =>
    expectSQL(select(func.round(func.abs(users.c.age), 1).label('r')), {
      generic: { sql: 'SELECT round(abs(users.age), :param_1) AS r FROM users', params: { param_1: 1 } },
      sqlite: { sql: 'SELECT round(abs(users.age), ?) AS r FROM users', params: [1] },
      postgresql: { sql: 'SELECT round(abs(users.age), $1) AS r FROM users', params: [1] },
      mysql: { sql: 'SELECT round(abs(users.age), ?) AS r FROM users', params: [1] },
    }));
  test('random', () =>
    expectSQL(select(func.random().label('r')), {
      generic: { sql: 'SELECT random() AS r', params: {} },
      sqlite: { sql: 'SELECT random() AS r', params: [] },
      postgresql: { sql: 'SELECT random() AS r', params: [] },
      mysql: { sql: 'SELECT rand() AS r', params: [] },
    }));
  test('concat function', () =>
    expectSQL(select(func.concat(users.c.name, '-', users.c.age).label('c')), {
      generic: {
        sql: 'SELECT concat(users.name, :param_1, users.age) AS c FROM users',
        params: { param_1: '-' },
      },
      sqlite: { sql: 'SELECT concat(users.name, ?, users.age) AS c FROM users', params: ['-'] },
      postgresql: { sql: 'SELECT concat(users.name, $1, users.age) AS c FROM users', params: ['-'] },
      mysql: { sql: 'SELECT concat(users.name, ?, users.age) AS c FROM users', params: ['-'] },
    }));
  test('substr', () =>
    expectSQL(select(func.substr(users.c.name, 1, 2).label('s')), {
      generic: {
        sql: 'SELECT substr(users.name, :param_1, :param_2) AS s FROM users',
        params: { param_1: 1, param_2: 2 },
      },
      sqlite: { sql: 'SELECT substr(users.name, ?, ?) AS s FROM users', params: [1, 2] },
      postgresql: { sql: 'SELECT substr(users.name, $1, $2) AS s FROM users', params: [1, 2] },
      mysql: { sql: 'SELECT substr(users.name, ?, ?) AS s FROM users', params: [1, 2] },
    }));
  test('replace', () =>
    expectSQL(select(func.replace(users.c.name, 'a', 'b').label('s')), {
      generic: {
        sql: 'SELECT replace(users.name, :param_1, :param_2) AS s FROM users',
        params: { param_1: 'a', param_2: 'b' },
      },
      sqlite: { sql: 'SELECT replace(users.name, ?, ?) AS s FROM users', params: ['a', 'b'] },
      postgresql: { sql: 'SELECT replace(users.name, $1, $2) AS s FROM users', params: ['a', 'b'] },
      mysql: { sql: 'SELECT replace(users.name, ?, ?) AS s FROM users', params: ['a', 'b'] },
    }));
  test('nullif', () =>
    expectSQL(select(func.nullif(users.c.age, 0).label('a')), {
      generic: { sql: 'SELECT nullif(users.age, :param_1) AS a FROM users', params: { param_1: 0 } },
      sqlite: { sql: 'SELECT nullif(users.age, ?) AS a FROM users', params: [0] },
      postgresql: { sql: 'SELECT nullif(users.age, $1) AS a FROM users', params: [0] },
      mysql: { sql: 'SELECT nullif(users.age, ?) AS a FROM users', params: [0] },
    }));
  test('greatest and least', () =>
    expectSQL(select(func.greatest(users.c.age, 1).label('g'), func.least(users.c.age, 9).label('l')), {
      generic: {
        sql: 'SELECT greatest(users.age, :param_1) AS g, least(users.age, :param_2) AS l FROM users',
        params: { param_1: 1, param_2: 9 },
      },
      sqlite: { sql: 'SELECT max(users.age, ?) AS g, min(users.age, ?) AS l FROM users', params: [1, 9] },
      postgresql: {
        sql: 'SELECT greatest(users.age, $1) AS g, least(users.age, $2) AS l FROM users',
        params: [1, 9],
      },
      mysql: {
        sql: 'SELECT greatest(users.age, ?) AS g, least(users.age, ?) AS l FROM users',
        params: [1, 9],
      },
    }));
  test('generic function', () =>
    expectSQL(select(func.json_extract(posts.c.title, '$.a').label('j')), {
      generic: {
        sql: 'SELECT json_extract(posts.title, :param_1) AS j FROM posts',
        params: { param_1: '$.a' },
      },
      sqlite: { sql: 'SELECT json_extract(posts.title, ?) AS j FROM posts', params: ['$.a'] },
      postgresql: { sql: 'SELECT json_extract(posts.title, $1) AS j FROM posts', params: ['$.a'] },
      mysql: { sql: 'SELECT json_extract(posts.title, ?) AS j FROM posts', params: ['$.a'] },
    }));
  test('generic function without arguments', () =>
    expectSQL(select(func.pi().label('p')), {
      generic: { sql: 'SELECT pi() AS p', params: {} },
      sqlite: { sql: 'SELECT pi() AS p', params: [] },
      postgresql: { sql: 'SELECT pi() AS p', params: [] },
      mysql: { sql: 'SELECT pi() AS p', params: [] },
    }));
  test('function in WHERE', () =>
    expectSQL(select(users.c.id).where(func.lower(users.c.name).eq('bob')), {
      generic: {
        sql: 'SELECT users.id FROM users WHERE lower(users.name) = :lower_1',
        params: { lower_1: 'bob' },
      },
      sqlite: { sql: 'SELECT users.id FROM users WHERE lower(users.name) = ?', params: ['bob'] },
      postgresql: { sql: 'SELECT users.id FROM users WHERE lower(users.name) = $1', params: ['bob'] },
      mysql: { sql: 'SELECT users.id FROM users WHERE lower(users.name) = ?', params: ['bob'] },
    }));
  test('aggregate filter', () =>
    expectSQL(select(func.count().filter(users.c.age.gt(18)).label('adults')).selectFrom(users), {
      generic: {
        sql: 'SELECT count(*) FILTER (WHERE users.age > :age_1) AS adults FROM users',
        params: { age_1: 18 },
      },
      sqlite: { sql: 'SELECT count(*) FILTER (WHERE users.age > ?) AS adults FROM users', params: [18] },
      postgresql: { sql: 'SELECT count(*) FILTER (WHERE users.age > $1) AS adults FROM users', params: [18] },
      mysql: { sql: 'SELECT count(CASE WHEN users.age > ? THEN 1 END) AS adults FROM users', params: [18] },
    }));
  test('nested function', () =>
    expectSQL(select(func.upper(func.trim(users.c.name)).label('x')), {
      generic: { sql: 'SELECT upper(trim(users.name)) AS x FROM users', params: {} },
      sqlite: { sql: 'SELECT upper(trim(users.name)) AS x FROM users', params: [] },
      postgresql: { sql: 'SELECT upper(trim(users.name)) AS x FROM users', params: [] },
      mysql: { sql: 'SELECT upper(trim(users.name)) AS x FROM users', params: [] },
    }));
});

describe('CASE', () => {
  test('searched case with else', () =>
    expectSQL(select(case_([[users.c.age.gt(60), 'old']], { else: 'young' }).label('k')), {
      generic: {
        sql: 'SELECT CASE WHEN users.age > :age_1 THEN :param_1 ELSE :param_2 END AS k FROM users',
        params: { age_1: 60, param_1: 'old', param_2: 'young' },
      },
      sqlite: {
        sql: 'SELECT CASE WHEN users.age > ? THEN ? ELSE ? END AS k FROM users',
        params: [60, 'old', 'young'],
      },
      postgresql: {
        sql: 'SELECT CASE WHEN users.age > $1 THEN $2::VARCHAR ELSE $3::VARCHAR END AS k FROM users',
        params: [60, 'old', 'young'],
      },
      mysql: {
        sql: 'SELECT CASE WHEN users.age > ? THEN ? ELSE ? END AS k FROM users',
        params: [60, 'old', 'young'],
      },
    }));
  test('searched case without else', () =>
    expectSQL(select(case_([[users.c.age.gt(60), 'old']]).label('k')), {
      generic: {
        sql: 'SELECT CASE WHEN users.age > :age_1 THEN :param_1 END AS k FROM users',
        params: { age_1: 60, param_1: 'old' },
      },
      sqlite: { sql: 'SELECT CASE WHEN users.age > ? THEN ? END AS k FROM users', params: [60, 'old'] },
      postgresql: { sql: 'SELECT CASE WHEN users.age > $1 THEN $2::VARCHAR END AS k FROM users', params: [60, 'old'] },
      mysql: { sql: 'SELECT CASE WHEN users.age > ? THEN ? END AS k FROM users', params: [60, 'old'] },
    }));
  test('several whens', () =>
    expectSQL(
      select(
        case_(
          [
            [users.c.age.lt(18), 'minor'],
            [users.c.age.lt(65), 'adult'],
          ],
          { else: 'senior' },
        ).label('k'),
      ),
      {
        generic: {
          sql: 'SELECT CASE WHEN users.age < :age_1 THEN :param_1 WHEN users.age < :age_2 THEN :param_2 ELSE :param_3 END AS k FROM users',
          params: { age_1: 18, param_1: 'minor', age_2: 65, param_2: 'adult', param_3: 'senior' },
        },
        sqlite: {
          sql: 'SELECT CASE WHEN users.age < ? THEN ? WHEN users.age < ? THEN ? ELSE ? END AS k FROM users',
          params: [18, 'minor', 65, 'adult', 'senior'],
        },
        postgresql: {
          sql: 'SELECT CASE WHEN users.age < $1 THEN $2::VARCHAR WHEN users.age < $3 THEN $4::VARCHAR ELSE $5::VARCHAR END AS k FROM users',
          params: [18, 'minor', 65, 'adult', 'senior'],
        },
        mysql: {
          sql: 'SELECT CASE WHEN users.age < ? THEN ? WHEN users.age < ? THEN ? ELSE ? END AS k FROM users',
          params: [18, 'minor', 65, 'adult', 'senior'],
        },
      },
    ));
  test('simple case on value', () =>
    expectSQL(
      select(
        case_(
          [
            [1, 'one'],
            [2, 'two'],
          ],
          { value: users.c.id },
        ).label('k'),
      ),
      {
        generic: {
          sql: 'SELECT CASE users.id WHEN :param_1 THEN :param_2 WHEN :param_3 THEN :param_4 END AS k FROM users',
          params: { param_1: 1, param_2: 'one', param_3: 2, param_4: 'two' },
        },
        sqlite: {
          sql: 'SELECT CASE users.id WHEN ? THEN ? WHEN ? THEN ? END AS k FROM users',
          params: [1, 'one', 2, 'two'],
        },
        postgresql: {
          sql: 'SELECT CASE users.id WHEN $1 THEN $2::VARCHAR WHEN $3 THEN $4::VARCHAR END AS k FROM users',
          params: [1, 'one', 2, 'two'],
        },
        mysql: {
          sql: 'SELECT CASE users.id WHEN ? THEN ? WHEN ? THEN ? END AS k FROM users',
          params: [1, 'one', 2, 'two'],
        },
      },
    ));
  test('case with column results', () =>
    expectSQL(select(case_([[users.c.age.isNull(), users.c.id]], { else: users.c.age }).label('k')), {
      generic: {
        sql: 'SELECT CASE WHEN users.age IS NULL THEN users.id ELSE users.age END AS k FROM users',
        params: {},
      },
      sqlite: {
        sql: 'SELECT CASE WHEN users.age IS NULL THEN users.id ELSE users.age END AS k FROM users',
        params: [],
      },
      postgresql: {
        sql: 'SELECT CASE WHEN users.age IS NULL THEN users.id ELSE users.age END AS k FROM users',
        params: [],
      },
      mysql: {
        sql: 'SELECT CASE WHEN users.age IS NULL THEN users.id ELSE users.age END AS k FROM users',
        params: [],
      },
    }));
  test('case in WHERE', () =>
    expectSQL(
      select(users.c.id).where(case_([[users.c.age.gt(1), literal(true)]], { else: literal(false) })),
      {
        generic: {
          sql: 'SELECT users.id FROM users WHERE CASE WHEN users.age > :age_1 THEN :param_1 ELSE :param_2 END',
          params: { age_1: 1, param_1: true, param_2: false },
        },
        sqlite: {
          sql: 'SELECT users.id FROM users WHERE CASE WHEN users.age > ? THEN ? ELSE ? END',
          params: [1, 1, 0],
        },
        postgresql: {
          sql: 'SELECT users.id FROM users WHERE CASE WHEN users.age > $1 THEN $2::BOOLEAN ELSE $3::BOOLEAN END',
          params: [1, true, false],
        },
        mysql: {
          sql: 'SELECT users.id FROM users WHERE CASE WHEN users.age > ? THEN ? ELSE ? END',
          params: [1, 1, 0],
        },
      },
    ));
});

describe('window functions', () => {
  test('row_number over ()', () =>
    expectSQL(select(func.rowNumber().over().label('r')).selectFrom(users), {
      generic: { sql: 'SELECT row_number() OVER () AS r FROM users', params: {} },
      sqlite: { sql: 'SELECT row_number() OVER () AS r FROM users', params: [] },
      postgresql: { sql: 'SELECT row_number() OVER () AS r FROM users', params: [] },
      mysql: { sql: 'SELECT row_number() OVER () AS r FROM users', params: [] },
    }));
  test('rank over order by', () =>
    expectSQL(select(func.rank().over({ orderBy: users.c.age }).label('r')), {
      generic: { sql: 'SELECT rank() OVER (ORDER BY users.age) AS r FROM users', params: {} },
      sqlite: { sql: 'SELECT rank() OVER (ORDER BY users.age) AS r FROM users', params: [] },
      postgresql: { sql: 'SELECT rank() OVER (ORDER BY users.age) AS r FROM users', params: [] },
      mysql: { sql: 'SELECT rank() OVER (ORDER BY users.age) AS r FROM users', params: [] },
    }));
  test('dense_rank with partition', () =>
    expectSQL(
      select(func.denseRank().over({ partitionBy: users.c.name, orderBy: users.c.age.desc() }).label('r')),
      {
        generic: {
          sql: 'SELECT dense_rank() OVER (PARTITION BY users.name ORDER BY users.age DESC) AS r FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT dense_rank() OVER (PARTITION BY users.name ORDER BY users.age DESC) AS r FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT dense_rank() OVER (PARTITION BY users.name ORDER BY users.age DESC) AS r FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT dense_rank() OVER (PARTITION BY users.name ORDER BY users.age DESC) AS r FROM users',
          params: [],
        },
      },
    ));
  test('partition by two columns', () =>
    expectSQL(
      select(
        func
          .count()
          .over({ partitionBy: [users.c.name, users.c.age] })
          .label('n'),
      ).selectFrom(users),
      {
        generic: {
          sql: 'SELECT count(*) OVER (PARTITION BY users.name, users.age) AS n FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT count(*) OVER (PARTITION BY users.name, users.age) AS n FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT count(*) OVER (PARTITION BY users.name, users.age) AS n FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT count(*) OVER (PARTITION BY users.name, users.age) AS n FROM users',
          params: [],
        },
      },
    ));
  test('sum over rows unbounded preceding', () =>
    expectSQL(
      select(
        func
          .sum(users.c.age)
          .over({ orderBy: users.c.id, rows: [null, 0] })
          .label('s'),
      ),
      {
        generic: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM users',
          params: [],
        },
      },
    ));
  test('rows between 2 preceding and 1 following', () =>
    expectSQL(
      select(
        func
          .avg(users.c.age)
          .over({ orderBy: users.c.id, rows: [-2, 1] })
          .label('a'),
      ),
      {
        generic: {
          sql: 'SELECT avg(users.age) OVER (ORDER BY users.id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS a FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT avg(users.age) OVER (ORDER BY users.id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS a FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT avg(users.age) OVER (ORDER BY users.id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS a FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT avg(users.age) OVER (ORDER BY users.id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS a FROM users',
          params: [],
        },
      },
    ));
  test('rows current row to unbounded following', () =>
    expectSQL(
      select(
        func
          .sum(users.c.age)
          .over({ orderBy: users.c.id, rows: [0, null] })
          .label('s'),
      ),
      {
        generic: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: [],
        },
      },
    ));
  test('range unbounded', () =>
    expectSQL(
      select(
        func
          .sum(users.c.age)
          .over({ orderBy: users.c.id, range: [null, null] })
          .label('s'),
      ),
      {
        generic: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM users',
          params: [],
        },
      },
    ));
  test('range preceding', () =>
    expectSQL(
      select(
        func
          .sum(users.c.age)
          .over({ orderBy: users.c.age, range: [-5, 0] })
          .label('s'),
      ),
      {
        generic: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.age RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS s FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.age RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS s FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.age RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS s FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT sum(users.age) OVER (ORDER BY users.age RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS s FROM users',
          params: [],
        },
      },
    ));
  test('lag with offset', () =>
    expectSQL(select(func.lag(users.c.age, 1).over({ orderBy: users.c.id }).label('prev')), {
      generic: {
        sql: 'SELECT lag(users.age, :param_1) OVER (ORDER BY users.id) AS prev FROM users',
        params: { param_1: 1 },
      },
      sqlite: { sql: 'SELECT lag(users.age, ?) OVER (ORDER BY users.id) AS prev FROM users', params: [1] },
      postgresql: {
        sql: 'SELECT lag(users.age, $1) OVER (ORDER BY users.id) AS prev FROM users',
        params: [1],
      },
      mysql: { sql: 'SELECT lag(users.age, ?) OVER (ORDER BY users.id) AS prev FROM users', params: [1] },
    }));
  test('lead', () =>
    expectSQL(select(func.lead(users.c.age).over({ orderBy: users.c.id }).label('next')), {
      generic: { sql: 'SELECT lead(users.age) OVER (ORDER BY users.id) AS next FROM users', params: {} },
      sqlite: { sql: 'SELECT lead(users.age) OVER (ORDER BY users.id) AS next FROM users', params: [] },
      postgresql: { sql: 'SELECT lead(users.age) OVER (ORDER BY users.id) AS next FROM users', params: [] },
      mysql: { sql: 'SELECT lead(users.age) OVER (ORDER BY users.id) AS next FROM users', params: [] },
    }));
  test('first_value', () =>
    expectSQL(
      select(
        func.firstValue(users.c.name).over({ partitionBy: users.c.age, orderBy: users.c.id }).label('f'),
      ),
      {
        generic: {
          sql: 'SELECT first_value(users.name) OVER (PARTITION BY users.age ORDER BY users.id) AS f FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT first_value(users.name) OVER (PARTITION BY users.age ORDER BY users.id) AS f FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT first_value(users.name) OVER (PARTITION BY users.age ORDER BY users.id) AS f FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT first_value(users.name) OVER (PARTITION BY users.age ORDER BY users.id) AS f FROM users',
          params: [],
        },
      },
    ));
  test('ntile', () =>
    expectSQL(select(func.ntile(4).over({ orderBy: users.c.age }).label('q')), {
      generic: {
        sql: 'SELECT ntile(:param_1) OVER (ORDER BY users.age) AS q FROM users',
        params: { param_1: 4 },
      },
      sqlite: { sql: 'SELECT ntile(?) OVER (ORDER BY users.age) AS q FROM users', params: [4] },
      postgresql: { sql: 'SELECT ntile($1) OVER (ORDER BY users.age) AS q FROM users', params: [4] },
      mysql: { sql: 'SELECT ntile(?) OVER (ORDER BY users.age) AS q FROM users', params: [4] },
    }));
  test('percent_rank and cume_dist', () =>
    expectSQL(
      select(
        func.percentRank().over({ orderBy: users.c.age }).label('p'),
        func.cumeDist().over({ orderBy: users.c.age }).label('c'),
      ),
      {
        generic: {
          sql: 'SELECT percent_rank() OVER (ORDER BY users.age) AS p, cume_dist() OVER (ORDER BY users.age) AS c FROM users',
          params: {},
        },
        sqlite: {
          sql: 'SELECT percent_rank() OVER (ORDER BY users.age) AS p, cume_dist() OVER (ORDER BY users.age) AS c FROM users',
          params: [],
        },
        postgresql: {
          sql: 'SELECT percent_rank() OVER (ORDER BY users.age) AS p, cume_dist() OVER (ORDER BY users.age) AS c FROM users',
          params: [],
        },
        mysql: {
          sql: 'SELECT percent_rank() OVER (ORDER BY users.age) AS p, cume_dist() OVER (ORDER BY users.age) AS c FROM users',
          params: [],
        },
      },
    ));
});

/**
 * Every element kind compiles on every dialect (generic, SQLite, PostgreSQL, MySQL) or
 * raises a clear UnsupportedCompilationError, and has a structural cache key: the same
 * shape built twice gives the same key, with the bound values extracted afresh.
 * `examples` is typed by core's ElementKinds, so a new kind without an example fails tsc.
 */
import {
  jsonArrayAgg,
  jsonRecord,
  AddConstraint,
  CheckConstraint,
  type ClauseElement,
  Column,
  CreateIndex,
  CreateSequence,
  CreateTable,
  Dialect,
  DropConstraint,
  DropIndex,
  DropSequence,
  DropTable,
  type ElementKinds,
  ForeignKey,
  Index,
  Integer,
  MetaData,
  Sequence,
  String,
  Table,
  UniqueConstraint,
  UnsupportedCompilationError,
  and,
  dateTrunc,
  extract,
  interval,
  merge,
  bindparam,
  cacheKeyOf,
  case_,
  cast,
  delete_,
  desc,
  exists,
  func,
  insert,
  literal,
  literalColumn,
  not,
  select,
  sql,
  text,
  tuple_,
  typeCoerce,
  union,
  update,
} from '@athanor/core';
import { MySQLDialect, onDuplicateKeyUpdate, inserted } from '@athanor/dialect-mysql';
import { PostgresDialect } from '@athanor/dialect-postgres';
import { SQLiteDialect } from '@athanor/dialect-sqlite';

function schema() {
  const metadata = new MetaData();
  const users = new Table(
    'users',
    metadata,
    { id: Column(Integer, { primaryKey: true }), name: Column(String(50), { nullable: false }), age: Column(Integer) },
    new UniqueConstraint(['name'], { name: 'uq_users_name' }),
  );
  const posts = new Table('posts', metadata, {
    id: Column(Integer, { primaryKey: true }),
    userId: Column(Integer, ForeignKey('users.id'), { name: 'user_id' }),
  });
  const check = new CheckConstraint('age >= 0', { name: 'ck_age' });
  check.table = users;
  return { users, posts, check, index: new Index('ix_users_age', [users.c.age]) };
}

/** One statement per element kind, built afresh by each call (so keys can be compared across builds). */
const examples: { [K in keyof ElementKinds]: (v: number) => ClauseElement } = {
  bindParam: (v) => select(literal(v).label('x')),
  binary: (v) => select(schema().users.c.id).where(schema().users.c.age.gt(v)),
  unary: (v) => select(schema().users.c.id).where(not(exists(select(literal(v).label('x'))))).orderBy(schema().users.c.id.desc()),
  booleanList: (v) => {
    const { users } = schema();
    return select(users.c.id).where(and(users.c.age.gt(v), users.c.age.lt(v + 10)));
  },
  grouping: (v) => {
    const { users } = schema();
    return select(users.c.id).where(users.c.age.add(v).mul(2).gt(v));
  },
  label: (v) => select(literal(v).label('lbl')),
  cast: (v) => select(cast(literal(v), String(10)).label('c')),
  between: (v) => select(schema().users.c.id).where(schema().users.c.age.between(v, v + 1)),
  tuple: (v) => {
    const { users } = schema();
    return select(users.c.id).where(tuple_(users.c.id, users.c.age).in([[v, v]]));
  },
  keyword: () => select(schema().users.c.id).where(schema().users.c.age.isNull()),
  constantPredicate: () => select(schema().users.c.id).where(schema().users.c.id.in([])),
  column: (v) => select(schema().users.c.name).limit(v),
  table: (v) => select(schema().users).limit(v),
  alias: (v) => {
    const u = schema().users.alias('u');
    return select(u.c.id).where(u.c.age.gt(v));
  },
  join: (v) => {
    const { users, posts } = schema();
    return select(users.c.name, posts.c.id.label('postId')).join(posts).where(users.c.age.gt(v));
  },
  subquery: (v) => {
    const sq = select(schema().users.c.id).where(schema().users.c.age.gt(v)).subquery('sq');
    return select(sq.c.id);
  },
  lateral: (v) => {
    const { users, posts } = schema();
    const lat = select(posts.c.id).where(posts.c.userId.eq(users.c.id)).limit(v).lateral('l');
    return select(users.c.name, lat.c.id).selectFrom(users).join(lat, literal(true));
  },
  cte: (v) => {
    const c = select(schema().users.c.id).where(schema().users.c.age.gt(v)).cte('c');
    return select(c.c.id);
  },
  select: (v) => select(schema().users.c.id).where(schema().users.c.id.eq(v)).orderBy(desc('id')),
  compoundSelect: (v) => {
    const { users, posts } = schema();
    return union(select(users.c.id).where(users.c.age.gt(v)), select(posts.c.id));
  },
  scalarSelect: (v) => {
    const { users, posts } = schema();
    return select(users.c.name, select(func.count()).where(posts.c.userId.eq(users.c.id), posts.c.id.gt(v)).scalarSubquery().label('n'));
  },
  exists: (v) => select(schema().users.c.id).where(exists(select(schema().posts.c.id).where(schema().posts.c.id.gt(v)))),
  resultKey: () => select(schema().users.c.name).orderBy('name'),
  function: (v) => select(func.coalesce(schema().users.c.age, v).label('a')),
  over: () => select(func.rank().over({ orderBy: schema().users.c.name }).label('r')),
  case: (v) => select(case_([[schema().users.c.age.gt(v), 'old']], { else: 'young' }).label('k')),
  typeCoerce: (v) => select(typeCoerce(literal(v), Integer).label('t')),
  text: (v) => text('SELECT :v AS v').bindparams({ v }),
  sqlFragment: (v) => select(sql`${v} + 1`.as(Integer).label('s')),
  literalColumn: () => select(literalColumn('1').label('one')),
  insert: (v) => insert(schema().users).values({ name: `n${v}`, age: v }),
  update: (v) => update(schema().users).values({ age: v }).where(schema().users.c.id.eq(v)),
  delete: (v) => delete_(schema().users).where(schema().users.c.id.eq(v)),
  createTable: () => new CreateTable(schema().users),
  dropTable: () => new DropTable(schema().users),
  createIndex: () => new CreateIndex(schema().index.table ? schema().index : withTable(schema())),
  dropIndex: () => new DropIndex(withTable(schema())),
  addConstraint: () => new AddConstraint(schema().check),
  dropConstraint: () => new DropConstraint(schema().check),
  createSequence: () => new CreateSequence(Sequence('s', { start: 5 })),
  dropSequence: () => new DropSequence(Sequence('s')),
  nextValue: () => select(Sequence('s').nextValue().label('n')),
  extract: (v) => select(extract('year', literal(new globalThis.Date(0))).label('y')).where(schema().users.c.age.gt(v)),
  dateTrunc: (v) => select(dateTrunc('month', literal(new globalThis.Date(0))).label('m')).where(schema().users.c.age.gt(v)),
  // An interval's parts are part of the statement's shape (rendered, not bound), like a LIMIT literal would be.
  interval: (v) => select(literal(new globalThis.Date(0)).add(interval({ days: 1 })).label('d')).where(schema().users.c.age.gt(v)),
  merge: (v) => {
    const { users, posts } = schema();
    return merge(users).using(posts, users.c.id.eq(posts.c.userId)).whenMatchedThenUpdate({ age: v }).whenNotMatchedThenInsert({ name: 'x', age: posts.c.id });
  },
  jsonRecord: (v) => select(jsonRecord({ id: schema().users.c.id, name: schema().users.c.name }).label('r')).where(schema().users.c.age.gt(v)),
  jsonArrayAgg: (v) => {
    const { users, posts } = schema();
    return select(users.c.id, select(jsonArrayAgg(jsonRecord({ id: posts.c.id }), { orderBy: [posts.c.id] })).where(posts.c.userId.eq(users.c.id)).scalarSubquery().label('p')).where(users.c.age.gt(v));
  },
  dialectClause: (v) => onDuplicateKeyUpdate(insert(schema().users).values({ name: 'x', age: v }), { age: inserted }),
};

function withTable(s: ReturnType<typeof schema>): Index {
  s.users.addIndex(s.index);
  return s.index;
}

const dialects: Dialect[] = [new Dialect(), new SQLiteDialect(), new PostgresDialect(), new MySQLDialect()];

describe('every element kind compiles on every dialect or raises UnsupportedCompilationError', () => {
  for (const [kind, build] of Object.entries(examples)) {
    test(kind, () => {
      const stmt = build(7);
      // The example really contains the kind it stands for.
      expect(kindsIn(stmt)).toContain(kind);
      let compiledSomewhere = false;
      for (const d of dialects) {
        try {
          const { sql: text } = stmt.compile(d);
          expect(typeof text).toBe('string');
          expect(text.length).toBeGreaterThan(0);
          compiledSomewhere = true;
        } catch (e) {
          if (!(e instanceof UnsupportedCompilationError)) throw new Error(`${kind} on ${d.name}: ${(e as Error).message}`);
          expect((e as Error).message).toMatch(/not supported|specific to|cannot be compiled/);
        }
      }
      expect(compiledSomewhere).toBe(true);
    });
  }
});

describe('every element kind has a structural cache key', () => {
  for (const [kind, build] of Object.entries(examples)) {
    test(kind, () => {
      const a = cacheKeyOf(build(7));
      const b = cacheKeyOf(build(8));
      // Two builds of the same shape (fresh tables, new values) share nothing by identity,
      // so compare the keys with identities masked, and the extracted values as they are.
      expect(mask(a.key)).toBe(mask(b.key));
      if (build.length === 0) {
        // Built without a value: both builds extract the same values (often none).
        expect(a.values.map(norm)).toEqual(b.values.map(norm));
      } else {
        // Built from 7 and from 8: the values are extracted, and they differ.
        expect(b.values.length).toBeGreaterThan(0);
        expect(a.values.map(norm)).not.toEqual(b.values.map(norm));
      }
    });
  }
});

describe('named bind parameters', () => {
  test('bindparam values are taken at execution', () => {
    const { users } = schema();
    const stmt = select(users.c.name).where(users.c.id.eq(bindparam('uid')));
    expect(stmt.compile(new PostgresDialect(), { uid: 3 })).toEqual({ sql: 'SELECT users.name FROM users WHERE users.id = $1', params: [3] });
  });
});

function kindsIn(el: ClauseElement): string[] {
  const out = new Set<string>();
  const walk = (e: any) => {
    if (!e || typeof e !== 'object' || !e.kind || out.has(`@${e.uid ?? ''}${e.kind}`)) return;
    out.add(e.kind);
    for (const c of e.children()) walk(c);
    if (e.kind === 'column' && e.table) walk(e.table);
    if (e.kind === 'createIndex' || e.kind === 'dropIndex') out.add(e.kind);
  };
  walk(el);
  return [...out];
}
/** Identity parts of a key (`#uid`, `@ref`) differ between builds; structure must not. */
function mask(key: string): string {
  return key.replace(/#\d+/g, '#').replace(/anon_\d+/g, 'anon');
}
function norm(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(/\d+/g, 'N') + v : v;
}

/**
 * The reflection round-trip schema: three tables a dialect creates, reflects and compares with
 * the source (every portable column type, composite keys, named constraints, indexes, server
 * defaults, names that need quoting). Each dialect's reflection tests build it, then assert what
 * their database gives back; the checks every dialect shares are in `./checks`.
 */
import {
  BigInteger,
  Boolean as BooleanT,
  CheckConstraint,
  Column,
  type ColumnDefs,
  Date as DateT,
  DateTime,
  Float,
  ForeignKeyConstraint,
  Index,
  Integer,
  JSON as JSONT,
  LargeBinary,
  type MetaData,
  Numeric,
  PrimaryKeyConstraint,
  SmallInteger,
  String as StringT,
  Table,
  Text,
  Time,
  UniqueConstraint,
  func,
  text,
} from '@athanor/core';

export interface RoundTripSchemaOptions {
  /** Columns added to `all_types` after `bin`: types only some databases keep (Uuid, Enum). */
  extraColumns?: ColumnDefs;
  /** The server default of `all_types.dt` (default `CURRENT_TIMESTAMP`). */
  now?: string;
  /**
   * `true` (default): `ix_lower_s`, an index on the expression `lower(s)`. `false`, for a
   * database without expression indexes: `ix_num`, a plain index on `num`.
   */
  expressionIndex?: boolean;
}

/** The tables, built in `md` (its schema, if any): `parent`, `all_types` and `Odd "Table" ñ`. */
export function buildRoundTripSchema(md: MetaData, options: RoundTripSchemaOptions = {}) {
  const parent = new Table(
    'parent',
    md,
    {
      a: Column(Integer, { primaryKey: true, autoincrement: false }),
      b: Column(StringT(20), { primaryKey: true }),
      label: Column(StringT(50), { nullable: false, serverDefault: 'x' }),
    },
    new UniqueConstraint(['label'], { name: 'uq_parent_label' }),
  );
  const allTypes = new Table(
    'all_types',
    md,
    {
      id: Column(Integer, { primaryKey: true }),
      i: Column(Integer, { serverDefault: 7 }),
      si: Column(SmallInteger),
      bi: Column(BigInteger),
      f: Column(Float),
      num: Column(Numeric(10, 2)),
      s: Column(StringT(40), { nullable: false }),
      t: Column(Text),
      bo: Column(BooleanT),
      d: Column(DateT),
      dt: Column(DateTime, { serverDefault: text(options.now ?? 'CURRENT_TIMESTAMP') }),
      tm: Column(Time),
      j: Column(JSONT),
      bin: Column(LargeBinary),
      ...options.extraColumns,
      pa: Column(Integer),
      pb: Column(StringT(20)),
    },
    new ForeignKeyConstraint(['pa', 'pb'], ['parent.a', 'parent.b'], { name: 'fk_all_parent', onDelete: 'CASCADE' }),
    new CheckConstraint('i > 0', { name: 'ck_i_positive' }),
    new UniqueConstraint(['s', 'bi'], { name: 'uq_s_bi' }),
  );
  if (options.expressionIndex === false) allTypes.addIndex(new Index('ix_num', ['num']));
  else allTypes.addIndex(new Index('ix_lower_s', [func.lower(allTypes.c.s)]));
  allTypes.addIndex(new Index('ix_f_d', ['f', 'd'], { unique: true }));
  const odd = new Table(
    'Odd "Table" ñ',
    md,
    {
      'Mixed Case': Column(Integer),
      select: Column(StringT(10)),
      'naïve "q" col': Column(Text),
      'with space': Column(Integer),
    },
    new PrimaryKeyConstraint(['Mixed Case', 'select'], { name: 'pk odd' }),
  );
  return { parent, allTypes, odd };
}

/** The three round-trip tables as reflected into `md` (keys carry `md`'s schema, if any). */
export function reflectedRoundTripTables(md: MetaData) {
  const get = (name: string) => {
    const t = md.tables.get(md.schema ? `${md.schema}.${name}` : name);
    if (!t) throw new Error(`'${name}' was not reflected (tables: ${[...md.tables.keys()].join(', ')})`);
    return t;
  };
  return { parent: get('parent'), allTypes: get('all_types'), odd: get('Odd "Table" ñ') };
}

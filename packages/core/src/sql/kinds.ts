/**
 * Every element kind and its class. The compiler's visitor table is typed from this map,
 * so a new kind without a compile method does not build.
 */
import type { Between, BinaryExpression, BindParameter, BooleanClauseList, Cast, ConstantPredicate, Grouping, Keyword, Label, Tuple, UnaryExpression } from './column-element';
import type { AddConstraint, CreateIndex, CreateSequence, CreateTable, DropConstraint, DropIndex, DropSequence, DropTable } from './ddl';
import type { DateTrunc, ExtractField, Interval } from './datetime';
import type { Delete, Insert, Update } from './dml';
import type { JsonArrayAgg, JsonRecord } from './json-rows';
import type { Merge } from './merge';
import type { DialectClause } from './dialect-clause';
import type { Case, FunctionCall, Over, TypeCoerce } from './functions';
import type { CompoundSelect, Exists, ResultKeyReference, ScalarSelect, Select } from './select';
import type { Alias, CTE, ColumnClause, Join, Lateral, Subquery } from './selectable';
import type { NextValue } from '../schema/sequence';
import type { Table } from '../schema/table';
import type { LiteralColumn, SqlFragment, TextClause } from './text';

/** Every element kind and the class that has it: the map a compiler implements one `visit…` method per entry of. */
export interface ElementKinds {
  bindParam: BindParameter;
  binary: BinaryExpression<any>;
  unary: UnaryExpression;
  booleanList: BooleanClauseList;
  grouping: Grouping;
  label: Label<any, any>;
  cast: Cast;
  between: Between;
  tuple: Tuple;
  keyword: Keyword;
  constantPredicate: ConstantPredicate;
  column: ColumnClause<any, any>;
  table: Table<any, any>;
  alias: Alias;
  join: Join;
  subquery: Subquery;
  lateral: Lateral;
  cte: CTE;
  select: Select<any>;
  compoundSelect: CompoundSelect<any>;
  scalarSelect: ScalarSelect;
  exists: Exists;
  resultKey: ResultKeyReference;
  function: FunctionCall<any, any>;
  over: Over<any, any>;
  case: Case;
  typeCoerce: TypeCoerce;
  text: TextClause<any>;
  sqlFragment: SqlFragment;
  literalColumn: LiteralColumn;
  insert: Insert<any, any, any>;
  update: Update<any, any>;
  delete: Delete<any, any>;
  createTable: CreateTable;
  dropTable: DropTable;
  createIndex: CreateIndex;
  dropIndex: DropIndex;
  addConstraint: AddConstraint;
  dropConstraint: DropConstraint;
  createSequence: CreateSequence;
  dropSequence: DropSequence;
  nextValue: NextValue;
  dialectClause: DialectClause;
  extract: ExtractField;
  dateTrunc: DateTrunc;
  interval: Interval;
  merge: Merge<any>;
  jsonRecord: JsonRecord<any>;
  jsonArrayAgg: JsonArrayAgg<any>;
}

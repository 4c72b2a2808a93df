/**
 * @athanor/core — schema, types, SQL expression language, compiler, engine, results, errors.
 * The dialect-author API (Dialect, SQLCompiler, driver interfaces) is exported here too,
 * under "Dialect authors" below.
 *
 * @packageDocumentation
 */
import { compileStatement } from './compiler/default-dialect';
import { elementHooks } from './sql/element';

elementHooks.compile = compileStatement;

export * from './errors';
// Types
export * from './types/generic';
export { TypeEngine, type TypeArg, type ValueOfType, type Processor, toType } from './types/type-engine';
export { TypeDecorator } from './types/type-decorator';
export * from './types/decimal';
// Schema
export { MetaData, type NamingConvention, type SchemaRunner } from './schema/metadata';
export { Table, TableColumn, type TableOptions, type TableColumns, type ColumnDefs, type FromTable } from './schema/table';
export type { SourcesOf, OuterJoined, FullJoined } from './sql/join-nullability';
export { Column, ColumnDef, type ColumnOptions, type ColumnValue, type IsRequired, type ColumnItem } from './schema/column';
export {
  Identity,
  Sequence,
  ColumnIdentity,
  SchemaSequence,
  NextValue,
  type IdentityOptions,
  type SequenceOptions,
  type CreateSequenceOptions,
  type ColumnGenerator,
} from './schema/sequence';
export { ForeignKey, ForeignKeyReference, type ForeignKeyOptions, type ReferentialAction } from './schema/foreign-key';
export { CheckConstraint, Constraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint } from './schema/constraints';
// Expression language
export { ClauseElement, defineElement, iterate, type FieldKind, type FieldSpec, type ElementKind } from './sql/element';
export * from './sql/column-element';
export { and, or, not } from './sql/conjunctions';
export * from './sql/functions';
export * from './sql/numeric-coercion';
export * from './sql/datetime';
export * from './sql/select';
export type { TupleOf, RowOfStatement, TupleOfStatement, FirstOf } from './sql/row-tuple';
export * from './sql/dml';
export * from './sql/merge';
export * from './sql/json-rows';
export * from './sql/ddl';
export * from './sql/text';
export { Alias, CTE, ColumnClause, FromClause, Join, Lateral, Subquery, inferJoinCondition, type ColumnCollection, type ForeignKeyLink } from './sql/selectable';
export * from './sql/entity';
export { DialectClause, defineDialectClause } from './sql/dialect-clause';
export { cacheKeyOf, type CacheKey } from './sql/cache-key';
export { adaptToAlias, type AdaptOptions } from './sql/adapt';
export type { ElementKinds } from './sql/kinds';
// Compiler (dialect authors)
export { type KeyedColumn, SQLCompiler } from './compiler/sql-compiler';
export { secondsLiteral } from './compiler/datetime-compiler';
export type { CompileContext, Visitors } from './compiler/base-compiler';
export { Compiled, type BindSlot, type CompiledColumn, type StatementKind } from './compiler/compiled';
export { compileCached, compileUncached, buildParams, type CompiledSQL, type CompiledWithValues } from './compiler/compile';
export { defaultDialect } from './compiler/default-dialect';
// Dialects
export { Dialect, DEFAULT_RESERVED, type ParamStyle } from './dialect/dialect';
export { defaultCapabilities, withCapabilities, type DialectCapabilities, type CapabilityOverrides } from './dialect/capabilities';
export type { Driver, DriverConnection, DriverResult, QueryOptions, RowCursor } from './dialect/driver';
// Utilities
export { topologicalSort, CycleError, type Edge } from './util/topological';
export { setCodeGeneration, codeGeneration } from './util/codegen';
export { parseTimestampText, invalidDateError } from './util/timestamp-text';
// Engine
export { Engine, createEngine, type ConnectOptions, type EngineOptions } from './engine/engine';
export { onlyReads, type ReplicaOptions, type ReplicaPolicy } from './engine/replicas';
export { Connection, Savepoint, type ExecuteParams, type TransactionOptions, type TransactionPriority } from './engine/connection';
export type { PoolerMode } from './engine/pooler';
export type { ExecuteOptions } from './engine/limits';
export { sqlComment, type SqlCommentTags, type SqlCommenter } from './engine/sql-comment';
export { isRetryable, backoffDelay, type RetryOptions, type Backoff } from './engine/retry';
export type { EchoOption, EchoRecord, EchoLogger } from './engine/observe';
export { Result, ScalarResult } from './engine/result';
export { parseURL, maskPassword, type EngineURL } from './engine/url';
export { registerDialect, loadDialect } from './engine/load-dialect';
export type { DialectPlugin, DialectPluginOptions } from './engine/plugin';
export { Pool, type PoolOptions, type PoolEntry } from './pool/pool';
export { EventEmitter, type EngineEvents, type EngineEventName, type EngineListener, type StatementEvent } from './engine/events';
// Reflection
export * from './reflection';

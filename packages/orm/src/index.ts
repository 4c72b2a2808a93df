/**
 * @athanor/orm — declarative mapping, Session, identity map, unit of work, relationships.
 * Built on `@athanor/core`'s public API only.
 *
 * @packageDocumentation
 */
export { declarativeBase, type ColumnPropertyMap, type DeclarativeBase, type DeclarativeBaseOptions } from './declarative';
export { MappedObject } from './mapped-object';
export { AmbiguousForeignKeysError, BackPopulatesError, NoForeignKeysError, RelationshipError, UnsupportedRelationshipError } from './errors';
export { relationship, RelationshipSpec, type RelationshipOptions, type CascadeName, type LazyStrategy } from './relationship';
export { Session, type PrimaryKeyValue, type SessionPhase } from './session/session';
export { SessionTransaction, type TransactionState } from './session/transaction';
export { type SessionOptions, type SessionExecuteOptions } from './session/options';
export type { SessionBinds } from './session/binds';
export type { NPlusOneWarning, NPlusOneHandler } from './session/load-batcher';
export { sessionmaker, type SessionFactory } from './session/factory';
export { ShardedSession, type ShardedSessionOptions, type ShardedExecuteOptions } from './sharding/session';
export { shardOf } from './sharding/identity-map';
export { comparedValues } from './sharding/compared-values';
export { listen, removeListener, type SessionEventMap, type MapperEventMap } from './events';
export { flagModified } from './state/attributes';
export type { MapperOptions, MappedOptions } from './mapper-options';
export {
  selectinload,
  joinedload,
  subqueryload,
  containsEager,
  raiseload,
  noload,
  lazyload,
  withLoaderCriteria,
  selectinPolymorphic,
  LoaderOption,
  EndOption,
  LoaderCriteria,
  type PathLoader,
  type PathEnd,
  type PathTree,
  type RelationshipName,
  type Strategy,
} from './loader-options';
export { jsonload, JsonLoadOption, type JsonPathLoader } from './loader-options';
export type { Loaded, LoadedRow, LoadedValue } from './load-state';
export { WriteOnlyCollection } from './write-only';
export { associationProxy, AssociationList, type AssociationProxyOptions } from './association-proxy';
export { statusOf, type InstanceStatus } from './state/instance-state';
export type { AnyMappedClass, AwaitableAttrs, ColumnValues, MappedClass, MappedInstance, JoinedSubclassOptions, MappedJoinedSubclass, MappedSubclass, RelationshipMap, RelationshipTarget, SubclassOptions } from './types';
export { aliased, AliasedClass } from './query/aliased';
export { rel, withParent, RelationshipHandle, type RelationshipKey, type EntityInstance } from './query/relationship-handle';
export { columnProperty, ColumnPropertySpec, type ColumnPropertyOptions, type ColumnPropertyHandles } from './column-property';
export { defer, undefer, loadOnly, ColumnLoadOption, type LoadableAttribute } from './column-options';
export type { HybridHandles, HybridMap, HybridMethodSpec, HybridPropertySpec, HybridSpecFor } from './hybrid';

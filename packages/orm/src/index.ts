/**
 * @athanor/orm — declarative mapping, Session, identity map, unit of work, relationships.
 * Built on `@athanor/core`'s public API only.
 */
export { declarativeBase, type DeclarativeBase, type DeclarativeBaseOptions } from './declarative';
export { MappedObject } from './mapped-object';
export { AmbiguousForeignKeysError, BackPopulatesError, NoForeignKeysError, RelationshipError, UnsupportedRelationshipError } from './errors';
export { relationship, RelationshipSpec, type RelationshipOptions, type CascadeName } from './relationship';
export { Session, type PrimaryKeyValue } from './session';
export { selectinload, joinedload, LoaderOption, type RelationshipName } from './loading';
export { statusOf, type InstanceStatus } from './state';
export type { AnyMappedClass, AwaitableAttrs, ColumnValues, MappedClass, MappedInstance, RelationshipMap, RelationshipTarget } from './types';

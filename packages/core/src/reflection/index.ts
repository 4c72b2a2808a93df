export { Inspector, inspect, type Inspectable } from './inspector';
export { reflectMetadata, reflectTable, type ReflectOptions, type TableReflectOptions } from './reflect';
export {
  groupBy,
  referentialAction,
  type ByTable,
  type DialectIntrospection,
  type ReflectedCheckConstraint,
  type ReflectedColumn,
  type ReflectedForeignKey,
  type ReflectedIndex,
  type ReflectedPrimaryKey,
  type ReflectedUniqueConstraint,
} from './interface';
export { parenGroup, readIdentifier, soleIdentifier, splitTopLevel } from './parse';

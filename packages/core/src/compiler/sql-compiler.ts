import type { Visitors } from './base-compiler';
import { DDLCompiler } from './ddl-compiler';

/**
 * The full compiler: every element kind has a visit method (the `implements Visitors`
 * clause makes a missing one a type error). Dialect compilers extend this class and
 * override individual hooks and visitors.
 */
export class SQLCompiler extends DDLCompiler implements Visitors {}

import type { TypeEngine } from '@athanor/core';
import { tsString } from '../source';

/**
 * TypeScript source constructing a Core type (`String(50)`, `Numeric(10, 2)`, ...), adding the
 * names it needs from '@athanor/core' to `imports`. A type Core does not know (reflected as
 * NullType) becomes `NullTypeOf('<raw name>')`, which renders the same name back in DDL.
 */
export function typeSource(type: TypeEngine<any>, imports: Set<string>): string {
  const t = type.impl as any;
  const use = (name: string, args = '') => {
    imports.add(name);
    return args ? `${name}(${args})` : name;
  };
  switch (t.typeName) {
    case 'Integer':
    case 'SmallInteger':
    case 'BigInteger':
    case 'Text':
    case 'Boolean':
    case 'Date':
    case 'Time':
    case 'JSON':
    case 'Uuid':
      return use(t.typeName);
    case 'Float':
      return t.nonFinite ? use('Float', '{ nonFinite: true }') : use('Float');
    case 'Numeric':
      return use('Numeric', t.precision === undefined ? '' : t.scale === undefined ? `${t.precision}` : `${t.precision}, ${t.scale}`);
    case 'String':
      return use('String', t.length === undefined ? '' : `${t.length}`);
    case 'LargeBinary':
      return use('LargeBinary', t.length === undefined ? '' : `${t.length}`);
    case 'DateTime':
      return t.timezone ? use('DateTime', '{ timezone: true }') : use('DateTime');
    case 'Enum':
      return use('Enum', `[${t.values.map(tsString).join(', ')}]${t.name ? `, { name: ${tsString(t.name)} }` : ''}`);
    default:
      return use('NullTypeOf', t.rawName ? tsString(t.rawName) : '');
  }
}

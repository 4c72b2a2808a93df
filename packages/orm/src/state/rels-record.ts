/**
 * A fresh `rels` record holding one relationship value, made by an object literal generated
 * per name: a literal's object is sized to its one property (~45 bytes), where `{}` then a
 * keyed store makes one with room for four and a transition (~80 bytes). Loaders make one per
 * child for the mirrored many-to-one of every loaded collection: thousands per load.
 */
import { RecordMakers } from '../util/record-maker';

type Maker = (value: unknown) => Record<string, unknown>;

const makers = new RecordMakers<Maker, string>({
  params: ['v'],
  // `__proto__` in a literal sets the prototype instead of making a property.
  fields: (name) => (name === '__proto__' ? undefined : [`${JSON.stringify(name)}: v`]),
  plain: (name) => (value) => {
    const record: Record<string, unknown> = {};
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    return record;
  },
});

/** The maker of `{ [name]: value }` records. */
export function relsRecordMaker(name: string): Maker {
  return makers.get(name, name, undefined);
}

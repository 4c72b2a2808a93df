/** `db.system.name` for an engine (MariaDB is told apart from MySQL once connected). */
import type { Engine } from '@athanor/core';

export function systemName(engine: Engine): string {
  const name = engine.dialect.name;
  if (name === 'mysql') return (engine.dialect as { isMariaDB?: boolean }).isMariaDB ? 'mariadb' : 'mysql';
  return name;
}

import { sqlComment } from '@athanor/core';

describe('sqlComment (sqlcommenter format)', () => {
  test('keys sorted, values URL-encoded and single-quoted, undefined left out', () => {
    expect(sqlComment({ route: '/users/:id', action: 'list', none: undefined })).toBe("/*action='list',route='%2Fusers%2F%3Aid'*/");
  });
  test('a tag cannot close the comment or its quotes', () => {
    const c = sqlComment({ "x*/ DROP TABLE t; --": "it's */ here" });
    expect(c).toBe("/*x%2A%2F%20DROP%20TABLE%20t%3B%20--='it%27s%20%2A%2F%20here'*/");
    expect(c.slice(2, -2)).not.toMatch(/\*\/|'[^=,]*'[^,]/);
  });
  test('no tags: no comment', () => {
    expect(sqlComment({})).toBe('');
  });
});

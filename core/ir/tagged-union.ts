/**
 * A union discriminated by `kind` that dispatches to exactly one member. io-ts' plain `t.union`
 * reports every member's errors when a value fails, which buries the one that matters.
 */
import * as t from 'io-ts';

type Members = Record<string, t.Mixed>;
type UnionOf<M extends Members> = t.TypeOf<M[keyof M]>;

/** Builds a `kind`-tagged union codec from a `{ kind: codec }` table. */
export function taggedUnion<M extends Members>(name: string, members: M): t.Type<UnionOf<M>, UnionOf<M>, unknown> {
  const kinds = Object.keys(members);
  const expected = kinds.map((k) => JSON.stringify(k)).join(' or ');
  const memberOf = (u: unknown): t.Mixed | undefined => {
    if (typeof u !== 'object' || u === null) return undefined;
    const kind = (u as { kind?: unknown }).kind;
    return typeof kind === 'string' && Object.hasOwn(members, kind) ? members[kind] : undefined;
  };
  return new t.Type<UnionOf<M>, UnionOf<M>, unknown>(
    name,
    (u): u is UnionOf<M> => memberOf(u)?.is(u) ?? false,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'expected an object');
      const member = memberOf(u);
      if (!member) {
        const kind = (u as { kind?: unknown }).kind;
        return t.failure(kind, [...c, { key: 'kind', type: t.string, actual: kind }], `expected ${expected}`);
      }
      return member.validate(u, c);
    },
    (a) => (memberOf(a)?.encode(a) ?? a) as UnionOf<M>,
  );
}

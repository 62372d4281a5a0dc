/**
 * An immutable, ordered list of named children with O(1) amortised append and name lookup.
 *
 * Chaining `.exec()` 10,000 times must not copy the list on every call, so versions share one
 * append-only store (the trick Go slices use): a version is (store, length). Appending at the tip of
 * the store pushes in place; appending to an older version, or replacing, copies first. The prefix
 * [0, length) of a store is never mutated, so every version stays unchanged.
 */

/** The append-only storage that list versions share. */
interface Store<T> {
  names: string[];
  values: T[];
  /** name → index; an index >= a version's length means "added after that version". */
  index: Map<string, number>;
}

/** The ordered, name-unique child list of a group definition, shared between builder versions. */
export class ChildList<T> {
  private constructor(
    private readonly store: Store<T>,
    /** Number of children in this version. */
    readonly length: number,
  ) {}

  /** The empty list. */
  static empty<T>(): ChildList<T> {
    return new ChildList<T>({ names: [], values: [], index: new Map() }, 0);
  }

  /** True when this version has a child with this name. */
  has(name: string): boolean {
    const i = this.store.index.get(name);
    return i !== undefined && i < this.length;
  }

  /** The child with this name in this version, if any. */
  get(name: string): T | undefined {
    return this.has(name) ? this.store.values[this.store.index.get(name)!] : undefined;
  }

  /** Name and value at a position (0 <= i < length). */
  at(i: number): [string, T] {
    return [this.store.names[i]!, this.store.values[i]!];
  }

  /** Names in order. */
  names(): string[] {
    return this.store.names.slice(0, this.length);
  }

  /** A new version with the child appended. The caller has checked the name is free. */
  append(name: string, value: T): ChildList<T> {
    const store = this.store.values.length === this.length ? this.store : this.copyStore();
    store.names.push(name);
    store.values.push(value);
    store.index.set(name, this.length);
    return new ChildList(store, this.length + 1);
  }

  /** A new version with the existing child `name` replaced by `value`. */
  replace(name: string, value: T): ChildList<T> {
    const store = this.copyStore();
    store.values[store.index.get(name)!] = value;
    return new ChildList(store, this.length);
  }

  private copyStore(): Store<T> {
    const names = this.store.names.slice(0, this.length);
    const values = this.store.values.slice(0, this.length);
    return { names, values, index: new Map(names.map((n, i) => [n, i])) };
  }
}

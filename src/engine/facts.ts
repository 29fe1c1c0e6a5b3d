// The facts of one scan, by kind.
import type { FactKind, FactKinds } from "../facts/index.js";

export class FactStore {
  private readonly byKind = new Map<FactKind, unknown[]>();

  add<K extends FactKind>(kind: K, fact: FactKinds[K]): void {
    const list = this.byKind.get(kind);
    if (list) list.push(fact);
    else this.byKind.set(kind, [fact]);
  }

  all<K extends FactKind>(kind: K): readonly FactKinds[K][] {
    return (this.byKind.get(kind) as FactKinds[K][] | undefined) ?? [];
  }

  count(): number {
    let n = 0;
    for (const list of this.byKind.values()) n += list.length;
    return n;
  }
}

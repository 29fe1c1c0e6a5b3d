// The credits part of the Store contract: every backend records and reads people's credits the same way.
// Each backend's test file runs it with an `open` that gives a fresh, empty store.
import { afterEach, describe, expect, it } from "vitest";
import type { CreditRow, RegressionRow, Store } from "../../src/store/store.js";
import type { OpenStore } from "./contract.js";

export function creditRow(overrides: Partial<CreditRow> = {}): CreditRow {
  return {
    repo: "octo/app",
    private: false,
    personKey: "login:alice",
    name: "Alice",
    login: "alice",
    kind: "milestone",
    item: "deploy_script",
    level: "senior",
    commit: "a".repeat(40),
    at: "2025-01-02T03:04:05.000Z",
    pr: 12,
    evidence: [{ path: "scripts/deploy.sh", line: 3 }],
    backfilled: false,
    ...overrides,
  };
}

const lost: RegressionRow = {
  repo: "octo/app",
  private: false,
  kind: "milestone",
  item: "alerts",
  level: "senior",
  commit: "b".repeat(40),
  at: "2025-01-03T00:00:00.000Z",
};

export function describeCreditContract(backend: string, openFresh: OpenStore): void {
  const opened: Store[] = [];
  const open = async () => {
    const store = await openFresh();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe(`${backend}: credits`, () => {
    it("records a change (credits, regressions, the new state) and reads every field back", async () => {
      const { credits } = await open();
      expect(await credits.state("octo/app")).toBeUndefined();
      const signal = creditRow({ kind: "signal", item: "deploy/deploy-script", level: undefined, task: "deploy" });
      const ok = await credits.recordChange({
        repo: "Octo/App",
        private: false,
        previousHead: undefined,
        headSha: "a".repeat(40),
        state: { items: [{ kind: "milestone", id: "deploy_script", status: "pass", evidence: [] }] },
        credits: [creditRow(), signal],
        regressions: [lost],
        now: 1000,
      });
      expect(ok).toBe(true);
      expect(await credits.ofRepo("octo/app")).toEqual(
        [
          { ...creditRow(), repo: "Octo/App" },
          { ...signal, repo: "Octo/App", level: undefined },
        ].map((c) => JSON.parse(JSON.stringify(c))),
      );
      expect(await credits.regressions("OCTO/app")).toEqual([{ ...lost, repo: "Octo/App" }]);
      expect(await credits.state("octo/app")).toEqual({
        repo: "Octo/App",
        headSha: "a".repeat(40),
        state: { items: [{ kind: "milestone", id: "deploy_script", status: "pass", evidence: [] }] },
        updatedAt: 1000,
      });
      expect(await credits.counts()).toEqual({ people: 1, credits: 2, regressions: 1 });
    });

    it("writes nothing when the state moved on since the caller read it", async () => {
      const { credits } = await open();
      const change = { repo: "octo/app", private: false, state: {}, credits: [], regressions: [] };
      expect(await credits.recordChange({ ...change, previousHead: undefined, headSha: "1".repeat(40) })).toBe(true);
      const stale = await credits.recordChange({
        ...change,
        previousHead: "0".repeat(40),
        headSha: "2".repeat(40),
        credits: [creditRow()],
      });
      expect(stale).toBe(false);
      expect(await credits.ofRepo("octo/app")).toEqual([]);
      expect((await credits.state("octo/app"))?.headSha).toBe("1".repeat(40));
    });

    it("of two workers crediting from the same state at once, one writes and the other is told it moved on", async () => {
      const { credits } = await open();
      const base = { repo: "octo/app", private: false, state: {}, regressions: [] };
      await credits.recordChange({ ...base, previousHead: undefined, headSha: "1".repeat(40), credits: [] });
      const results = await Promise.all(
        ["2", "3"].map((h) =>
          credits.recordChange({
            ...base,
            previousHead: "1".repeat(40),
            headSha: h.repeat(40),
            credits: [creditRow({ commit: h.repeat(40) })],
          }),
        ),
      );
      expect(results.sort()).toEqual([false, true]);
      expect(await credits.ofRepo("octo/app")).toHaveLength(1);
    });

    it("keeps a credit once however often it is recorded; a later sighting completes the person", async () => {
      const { credits } = await open();
      const base = { repo: "octo/app", private: false, state: {}, regressions: [lost, lost] };
      await credits.recordChange({ ...base, previousHead: undefined, headSha: "1".repeat(40), credits: [creditRow()] });
      await credits.recordChange({
        ...base,
        previousHead: "1".repeat(40),
        headSha: "2".repeat(40),
        credits: [creditRow({ name: "Alice L.", email: "alice@example.com" })],
      });
      const rows = await credits.ofRepo("octo/app");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ name: "Alice L.", login: "alice", email: "alice@example.com" });
      expect(await credits.regressions("octo/app")).toHaveLength(1);
    });

    it("finds people's credits across one owner's repositories only", async () => {
      const { credits } = await open();
      const record = (repo: string, rows: CreditRow[]) =>
        credits.recordChange({
          repo,
          private: false,
          previousHead: undefined,
          headSha: "1".repeat(40),
          state: {},
          credits: rows,
          regressions: [],
        });
      await record("acme/api", [creditRow({ repo: "acme/api", at: "2025-02-01T00:00:00.000Z" })]);
      await record("acme/web", [
        creditRow({ repo: "acme/web", item: "alerts", at: "2025-01-01T00:00:00.000Z" }),
        creditRow({
          repo: "acme/web",
          personKey: "email:bob@example.com",
          name: "Bob",
          login: undefined,
          email: "bob@example.com",
        }),
      ]);
      await record("other/api", [creditRow({ repo: "other/api" })]);
      expect((await credits.ofPeople("ACME", ["login:alice"])).map((c) => [c.repo, c.item])).toEqual([
        ["acme/web", "alerts"],
        ["acme/api", "deploy_script"],
      ]);
      expect((await credits.ofOwner("acme")).map((c) => c.personKey).sort()).toEqual([
        "email:bob@example.com",
        "login:alice",
        "login:alice",
      ]);
    });

    it("backfills once; the backfill mark survives the first change, the credits say they were backfilled", async () => {
      const { credits } = await open();
      expect(await credits.recordBackfill("octo/app", [creditRow()], 500)).toBe(true);
      expect(await credits.recordBackfill("octo/app", [creditRow({ item: "alerts" })], 600)).toBe(false);
      expect(await credits.state("octo/app")).toBeUndefined();
      expect(
        await credits.recordChange({
          repo: "octo/app",
          private: false,
          previousHead: undefined,
          headSha: "1".repeat(40),
          state: {},
          credits: [],
          regressions: [],
        }),
      ).toBe(true);
      expect((await credits.state("octo/app"))?.backfilledAt).toBe(500);
      expect(await credits.ofRepo("octo/app")).toEqual([{ ...creditRow(), backfilled: true }]);
    });

    it("follows visibility, forgets a repository, and forgets a person who asks", async () => {
      const { credits } = await open();
      const record = (repo: string, rows: CreditRow[]) =>
        credits.recordChange({
          repo,
          private: false,
          previousHead: undefined,
          headSha: "1".repeat(40),
          state: {},
          credits: rows,
          regressions: [{ ...lost, repo }],
        });
      await record("octo/app", [creditRow(), creditRow({ personKey: "login:bob", name: "Bob", login: "bob" })]);
      await record("octo/lib", [creditRow({ repo: "octo/lib" })]);
      await credits.setPrivate("OCTO/APP", true);
      expect((await credits.ofRepo("octo/app")).every((c) => c.private)).toBe(true);
      expect((await credits.regressions("octo/app"))[0].private).toBe(true);
      expect((await credits.ofRepo("octo/lib"))[0].private).toBe(false);

      await credits.forget("octo/app");
      expect(await credits.ofRepo("octo/app")).toEqual([]);
      expect(await credits.regressions("octo/app")).toEqual([]);
      expect(await credits.state("octo/app")).toBeUndefined();
      expect(await credits.counts()).toEqual({ people: 1, credits: 1, regressions: 1 }); // Bob had nothing else

      expect(await credits.forgetPerson("login:alice")).toBe(1);
      expect(await credits.counts()).toEqual({ people: 0, credits: 0, regressions: 1 });
    });

    it("stores hostile strings as plain data", async () => {
      const { credits } = await open();
      const name = "Robert'); DROP TABLE credits;--";
      await credits.recordChange({
        repo: "octo/app",
        private: false,
        previousHead: undefined,
        headSha: "1".repeat(40),
        state: { note: name },
        credits: [creditRow({ name, evidence: [{ path: "a'b\"c", note: name }] })],
        regressions: [],
      });
      expect((await credits.ofRepo("octo/app"))[0]).toMatchObject({ name, evidence: [{ path: "a'b\"c", note: name }] });
      expect((await credits.state("octo/app"))?.state).toEqual({ note: name });
    });
  });
}

// Credits as the store keeps them (CreditRow: flat, with the person's key) and back.
import type { CreditRow, RegressionRow } from "../store/store.js";
import type { Credit, Regression } from "./credit.js";
import { personKey } from "./person.js";

export function creditToRow(credit: Credit): CreditRow {
  return {
    repo: credit.repo ?? "",
    private: credit.private ?? true, // unknown visibility: shown only to readers, never to strangers
    personKey: personKey(credit.person),
    name: credit.person.name,
    ...(credit.person.login ? { login: credit.person.login } : {}),
    ...(credit.person.email ? { email: credit.person.email } : {}),
    kind: credit.kind,
    item: credit.id,
    ...(credit.level ? { level: credit.level } : {}),
    ...(credit.task ? { task: credit.task } : {}),
    commit: credit.commit,
    at: credit.at,
    ...(credit.pr !== undefined ? { pr: credit.pr } : {}),
    evidence: credit.evidence,
    backfilled: credit.backfilled === true,
  };
}

export function rowToCredit(row: CreditRow): Credit {
  return {
    person: {
      name: row.name,
      ...(row.login ? { login: row.login } : {}),
      ...(row.email ? { email: row.email } : {}),
    },
    kind: row.kind,
    id: row.item,
    ...(row.level ? { level: row.level } : {}),
    ...(row.task ? { task: row.task as Credit["task"] } : {}),
    commit: row.commit,
    at: row.at,
    repo: row.repo,
    private: row.private,
    ...(row.pr !== undefined ? { pr: row.pr } : {}),
    evidence: row.evidence,
    ...(row.backfilled ? { backfilled: true } : {}),
  };
}

export function regressionToRow(regression: Regression): RegressionRow {
  return {
    repo: regression.repo ?? "",
    private: regression.private ?? true,
    kind: regression.kind,
    item: regression.id,
    ...(regression.level ? { level: regression.level } : {}),
    ...(regression.task ? { task: regression.task } : {}),
    commit: regression.commit,
    at: regression.at,
    ...(regression.pr !== undefined ? { pr: regression.pr } : {}),
  };
}

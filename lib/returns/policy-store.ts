// Return policy versions in the database. The active policy is the highest version; versions are
// never edited, so the parsed rules of a row are cached for the life of the process. Version 1 (the
// default rules) is written on first use, so a fresh database needs no extra seeding step.
import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_POLICY, policyRulesSchema, type Policy, type PolicyRules } from "./policy";

type Tx = Prisma.TransactionClient;

const parsed = new Map<string, Policy>();

/** A stored version's policy (for reads that join the version's row in). */
export function policyOfRow(row: { version: number; rules: unknown; createdAt: Date }): Policy {
  const key = `${row.version}@${row.createdAt.getTime()}`;
  let policy = parsed.get(key);
  if (!policy) {
    policy = { version: row.version, rules: policyRulesSchema.parse(row.rules) };
    parsed.set(key, policy);
  }
  return policy;
}

/** Writes version 1 when no policy exists yet; safe to call at every start and concurrently. */
export async function ensureReturnPolicy(db: Tx): Promise<void> {
  await db.returnPolicyVersion.createMany({ data: [{ version: DEFAULT_POLICY.version, rules: DEFAULT_POLICY.rules as Prisma.InputJsonValue }], skipDuplicates: true });
}

export async function activePolicy(db: Tx): Promise<Policy> {
  const row = await db.returnPolicyVersion.findFirst({ orderBy: { version: "desc" } });
  if (row) return policyOfRow(row);
  await ensureReturnPolicy(db);
  return activePolicy(db);
}

/** The version a return was judged by. */
export async function policyVersion(db: Tx, version: number): Promise<Policy> {
  const row = await db.returnPolicyVersion.findUnique({ where: { version } });
  if (row) return policyOfRow(row);
  if (version !== DEFAULT_POLICY.version) throw new Error(`return policy version ${version} does not exist`);
  await ensureReturnPolicy(db);
  return policyVersion(db, version);
}

/** A new policy for new returns; returns already made keep the version they were judged by. */
export async function publishPolicy(db: Tx, rules: PolicyRules): Promise<Policy> {
  const valid = policyRulesSchema.parse(rules);
  const current = await activePolicy(db);
  const row = await db.returnPolicyVersion.create({ data: { version: current.version + 1, rules: valid as Prisma.InputJsonValue } });
  return policyOfRow(row);
}

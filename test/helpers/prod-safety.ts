/**
 * What a prod plan must keep on every cloud it places a workload on: every
 * stateful resource protected, and the shared storage backed up.
 */
import type { Plan } from "pulumi-offline-plan";
import { isStateful } from "../../policies/catalog/stateful";

/** The resource that backs up shared storage, per cloud. */
export const backupTypes: Record<string, string> = {
    aws: "aws:efs/backupPolicy:BackupPolicy",
    gcp: "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
    alicloud: "alicloud:hbr/policyBinding:PolicyBinding",
    onprem: "kubernetes:velero.io/v1:Schedule",
};

/** Stateful resources of the plan that a change could replace or delete unprotected. */
export const unprotectedStateful = (plan: Plan): string[] =>
    plan.resources.filter((r) => r.custom && isStateful(r.type) && !r.protect).map((r) => `${r.type} ${r.name}`);

/** The placed clouds whose shared storage has no backup in the plan. */
export const cloudsWithoutBackup = (plan: Plan, clouds: string[]): string[] =>
    clouds.filter((cloud) => !plan.resources.some((r) => r.type === backupTypes[cloud]));

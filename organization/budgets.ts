/**
 * Monthly budgets per workload, environment and cloud, as the organisation
 * stack's configuration holds them (`multicloud-organization:budgets`). The
 * program turns them into each cloud's budgets and alerts; the offline plan
 * reads the same file to say when a pull request's estimate would pass one.
 */
import { z } from "zod";

const name = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes, starting with a letter");

/** workload -> environment -> cloud -> monthly amount in USD. */
export const budgetsSchema = z.record(name, z.record(name, z.record(name, z.number().positive("a monthly amount in USD, above 0"))));

export type Budgets = z.output<typeof budgetsSchema>;

export interface Budget {
    workload: string;
    environment: string;
    cloud: string;
    monthlyUsd: number;
}

/** The budgets as a flat list, in a stable order. */
export function budgetList(budgets: Budgets): Budget[] {
    return Object.entries(budgets)
        .flatMap(([workload, environments]) =>
            Object.entries(environments).flatMap(([environment, clouds]) =>
                Object.entries(clouds).map(([cloud, monthlyUsd]) => ({ workload, environment, cloud, monthlyUsd })),
            ),
        )
        .sort((a, b) => `${a.workload}/${a.environment}/${a.cloud}`.localeCompare(`${b.workload}/${b.environment}/${b.cloud}`));
}

/** Parses the configuration value, or throws one message naming each bad key and what it must be. */
export function parseBudgets(value: unknown, where: string): Budgets {
    const parsed = budgetsSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues
        .map(
            (i) =>
                `  budgets.${i.path.join(".")}: ${i.code === "invalid_key" ? "a name of lowercase letters, digits and dashes, starting with a letter" : i.message}`,
        )
        .join("\n");
    throw new Error(`Invalid budgets in ${where} (workload -> environment -> cloud -> monthly USD):\n${issues}`);
}

/**
 * A stack's estimate against the budgets finance set: the monthly budget of each
 * workload, environment and cloud the stack's resources are attributed to. The
 * budgets are the project's to give (its `budgets` option), from wherever it
 * keeps them.
 */

/** The monthly budget of one workload in one environment on one cloud. */
export interface Budget {
    workload: string;
    environment: string;
    cloud: string;
    monthlyUsd: number;
}

export interface Allocation {
    workload: string;
    environment: string;
    cloud: string;
    monthlyUsd: number;
}

export interface BudgetCheck extends Allocation {
    /** The monthly budget, or undefined when none is set for this workload, environment and cloud. */
    budgetUsd?: number;
    /** The costliest month to come with its campaigns' extra capacity (YYYY-MM), where one adds any. */
    campaignMonth?: { month: string; usd: number };
    /** The estimate, or its campaign month, passes the budget. */
    exceeded: boolean;
}

export interface CampaignSpend {
    workload: string;
    environment: string;
    cloud: string;
    /** YYYY-MM of the window's start. */
    month: string;
    usd: number;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Each allocation of the estimate against its budget; allocations of a workload with no budgets at all are left out. */
export function checkBudgets(allocations: Allocation[], campaigns: CampaignSpend[], budgets: Budget[]): BudgetCheck[] {
    const budgeted = new Set(budgets.map((b) => b.workload));
    return allocations
        .filter((a) => budgeted.has(a.workload) && a.monthlyUsd > 0)
        .map((a) => {
            const budget = budgets.find((b) => b.workload === a.workload && b.environment === a.environment && b.cloud === a.cloud);
            const byMonth = new Map<string, number>();
            for (const c of campaigns) {
                if (c.workload === a.workload && c.environment === a.environment && c.cloud === a.cloud)
                    byMonth.set(c.month, (byMonth.get(c.month) ?? 0) + c.usd);
            }
            const peak = [...byMonth].sort(([m1, x], [m2, y]) => y - x || m1.localeCompare(m2))[0];
            const campaignMonth = peak ? { month: peak[0], usd: cents(a.monthlyUsd + peak[1]) } : undefined;
            const highest = Math.max(a.monthlyUsd, campaignMonth?.usd ?? 0);
            return { ...a, budgetUsd: budget?.monthlyUsd, campaignMonth, exceeded: budget !== undefined && highest > budget.monthlyUsd };
        });
}

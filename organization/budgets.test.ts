import { budgetList, parseBudgets } from "./budgets";

test("budgets read as workload -> environment -> cloud -> monthly USD, flattened in a stable order", () => {
    const budgets = parseBudgets(
        { partner: { prod: { onprem: 150 } }, backend: { prod: { alicloud: 700, aws: 100 }, dev: { alicloud: 250 } } },
        "Pulumi.test.yaml",
    );
    expect(budgetList(budgets)).toEqual([
        { workload: "backend", environment: "dev", cloud: "alicloud", monthlyUsd: 250 },
        { workload: "backend", environment: "prod", cloud: "alicloud", monthlyUsd: 700 },
        { workload: "backend", environment: "prod", cloud: "aws", monthlyUsd: 100 },
        { workload: "partner", environment: "prod", cloud: "onprem", monthlyUsd: 150 },
    ]);
});

test("a bad amount or name is refused with the file, the key and what it must be", () => {
    expect(() => parseBudgets({ backend: { prod: { aws: 0 } } }, "Pulumi.test.yaml")).toThrow(
        "Invalid budgets in Pulumi.test.yaml (workload -> environment -> cloud -> monthly USD):\n  budgets.backend.prod.aws: a monthly amount in USD, above 0",
    );
    expect(() => parseBudgets({ Backend: { prod: { aws: 10 } } }, "Pulumi.test.yaml")).toThrow(/budgets\.Backend: a name of lowercase letters/);
});

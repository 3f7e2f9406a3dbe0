/**
 * The offline plan's public surface: the CLI, planning a stack under the mock
 * runtime, judging it with policy packs over the analyzer protocol, reviewing it
 * against a base plan (diff, one-way doors, cost), and writing it for people and
 * tools (terminal, Markdown comment, `pulumi preview --json`-shaped JSON).
 *
 * What the plan needs of a project it takes as `ProjectFacts` (cloudTable,
 * costTags, prices, budgets, statefulHolds, ...): see facts.ts and the README.
 * The mock runtime for a project's own unit tests is `pulumi-offline-plan/runtime`.
 */

// The project's facts and the CLI.
export type { Diagram, ProjectFacts } from "./facts";
export type { CloudTable } from "./cloud-of";
export type { CostTags, Attribution, StackTags } from "./attribution";
export type { StatefulHolds } from "./stateful";
export { main, run, type CliOptions } from "./cli";
export { configFiles, readConfig } from "./bin";
export { ExitCode, PlanError } from "./errors";

// Planning a stack.
export { planStack, planStacks, hasMandatoryViolation, warmRunners, type PlanOptions, type PlanRun } from "./plan";
export type { Plan, PlanResource, ReviewedPlan, PlanCost, PlanCostChange, StackReferenceUse } from "./model";
export {
    loadProject,
    listStacks,
    loadStackConfig,
    stackFilePath,
    secretPlaceholder,
    defaultEnvironmentsDir,
    type Project,
    type ProjectLayout,
    type StackConfig,
} from "./project";
export { stackConfigFor, parseConfigValue, type ConfigChoice } from "./stack-config";

// Policy packs over the analyzer protocol.
export { PolicySession, type Review, type StackReview } from "./policy-session";
export {
    PolicyPackServer,
    spawnPack,
    defaultPolicyTimeoutMs,
    type AnalyzerInfo,
    type EnforcementLevel,
    type PolicyInfo,
    type PolicyPackConfig,
    type Remediation,
    type Violation,
} from "./analyzer";
export { maskViolations } from "./secrets";

// Review: placement, diff and one-way doors, cost.
export { cloudResolver } from "./cloud-of";
export { reviewPlan, selectTargets, withAcceptedDoors, hasChanges, type ReviewOptions } from "./review";
export {
    diffPlans,
    blockedDoors,
    similarity,
    replaceOnChange,
    type DiffOptions,
    type PlanDiff,
    type OneWayDoor,
    type ResourceRef,
    type ChangedResource,
} from "./diff";
export {
    estimateCost,
    costChange,
    costOptionsOf,
    loadPrices,
    parseCatalogue,
    parseRateCards,
    quantity,
    hoursPerMonth,
    type CostEstimate,
    type CostOptions,
    type CostChange,
    type PriceCatalogue,
    type PriceFiles,
    type Prices,
    type RateCards,
} from "./cost";
export { checkBudgets, type Budget, type BudgetCheck } from "./budgets";
export { campaignWindows, zonedInstant, type CampaignWindow } from "./campaign-windows";
export { readAcceptedDoors, parseAcceptedDoors, acceptance, AcceptedDoorsError, type AcceptedDoor, type AcceptedDoors } from "./accepted-doors";
export { readBasePlans, type BasePlan } from "./base-plan";

// Output.
export { renderTerminal, summaryByCloud, type TerminalOptions } from "./render";
export { renderMarkdown, placementDiagram, commentMarker, commentBudget, type MarkdownOptions } from "./markdown";
export { planDocument, planJson, type PlanDocument, type PreviewStep } from "./preview-json";

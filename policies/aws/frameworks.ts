/**
 * Compliance frameworks the AWS policies map to. `reference` is always the public
 * control id of that framework; a policy with no public control maps to the
 * platform's own baseline, whose reference is the policy's name.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

export const cis = (reference: string, specification: string): PolicyComplianceFramework => ({
    name: "CIS AWS Foundations Benchmark",
    version: "3.0.0",
    reference,
    specification,
});

/** AWS Foundational Security Best Practices (Security Hub control ids). */
export const fsbp = (reference: string, specification: string): PolicyComplianceFramework => ({
    name: "AWS Foundational Security Best Practices",
    version: "1.0.0",
    reference,
    specification,
});

export const baseline = (reference: string, specification: string): PolicyComplianceFramework => ({
    name: "Multicloud platform baseline",
    version: "1.0.0",
    reference,
    specification,
});

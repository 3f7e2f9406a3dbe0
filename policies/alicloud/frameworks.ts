/**
 * Alibaba Cloud policies map to the platform's own baseline (reference: the policy's
 * name): no public control catalogue with ids we could cite maps to them one to one.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

export const baseline = (reference: string, specification: string): PolicyComplianceFramework => ({
    name: "Multicloud platform baseline",
    version: "1.0.0",
    reference,
    specification,
});

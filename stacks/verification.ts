/**
 * What the deploy verifies after `pulumi up` (tools/deploy): every group a
 * stack rolls out and each load balancer's health check. The program hands
 * each placed cloud's kit through `verified`, which notes them as the workload
 * builds; the stack exports them as its `verification` output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudKit, RolloutTarget } from "../components/contracts";

/** What the deploy verifies after `pulumi up` (tools/deploy): every rolled-out group, and each entry point's health check. */
export interface Verification {
    rollouts: pulumi.Output<RolloutTarget>[];
    healthChecks: pulumi.Output<{ name: string; url: string }>[];
}

/** The kit, noting each rollout and entry point it builds for the stack's `verification` output. */
export function verified(kit: CloudKit, into: Verification): CloudKit {
    const watched = Object.create(kit) as CloudKit;
    const noted = <T extends { rollout: pulumi.Output<RolloutTarget> }>(made: T): T => {
        into.rollouts.push(made.rollout);
        return made;
    };
    watched.vmGroup = (name, spec, opts) => noted(kit.vmGroup(name, spec, opts));
    watched.containerService = (name, spec, opts) => noted(kit.containerService(name, spec, opts));
    if (kit.converterGroup) watched.converterGroup = (name, spec, opts) => noted(kit.converterGroup!(name, spec, opts));
    watched.loadBalancer = (name, spec, opts) => {
        const lb = kit.loadBalancer(name, spec, opts);
        into.healthChecks.push(pulumi.interpolate`https://${lb.endpoint}${spec.healthCheckPath}`.apply((url) => ({ name, url })));
        return lb;
    };
    return watched;
}

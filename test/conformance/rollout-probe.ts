/**
 * What a component's `rollout` says, and which resources its value comes from,
 * read as the engine reads any input: a probe resource takes the target as an
 * input, and its registration lists the resources that input depends on. A
 * target taken from the wrong resource, or made up, shows there.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RolloutTarget } from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";

export const rolloutProbeType = "conformance:rollout:Probe";

class RolloutProbe extends pulumi.CustomResource {
    constructor(name: string, target: pulumi.Output<RolloutTarget>) {
        super(rolloutProbeType, name, { target });
    }
}

export async function probeRollout(
    run: { all(): Promise<TestResource[]> },
    name: string,
    rollout: pulumi.Output<RolloutTarget>,
): Promise<{ target: RolloutTarget; sources: string[] }> {
    const probeName = `rollout-probe-${name}`;
    new RolloutProbe(probeName, rollout);
    const probe = (await run.all()).find((r) => r.type === rolloutProbeType && r.name === probeName);
    if (!probe) throw new Error(`the rollout probe of ${name} was not registered`);
    return { target: probe.plain.target as RolloutTarget, sources: [...probe.options.dependsOn].sort() };
}

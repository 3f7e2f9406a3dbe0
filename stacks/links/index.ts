/**
 * The links of one environment: both ends of every private, encrypted,
 * BGP-routed link between workloads that call each other across clouds.
 *
 * What to join comes from the workload stacks' files (stacks/Pulumi.*.yaml:
 * `multicloud:references` and `multicloud:clouds`, see plan.ts) and the address
 * plan; each network comes from its own stack's outputs (`networkId`, read with
 * a StackReference). One hosted stack builds both ends (build.ts), because each
 * end needs the other's outside addresses and the private cloud's stacks run
 * inside it without cloud credentials: its end, the edge router, is rendered as
 * the parameters its operators configure (`edge`, keys apart in `edgeKeys`).
 */
import * as pulumi from "@pulumi/pulumi";
import { createKitOf, descriptorOf, regionOf } from "../../components/clouds";
import type { CloudKit, Environment } from "../../components/contracts";
import { ConfigError } from "../../components/core/errors";
import { readWorkloadStacks } from "../peers";
import { buildEnds, buildLink, linkOutputs } from "./build";
import { planLinks, type PlannedEnd } from "./plan";

const config = new pulumi.Config();
const environment = config.require<Environment>("environment");
if (environment !== "dev" && environment !== "prod") {
    throw new ConfigError(
        `Invalid configuration in stacks/links/Pulumi.${pulumi.getStack()}.yaml: multicloud-links:environment = ${JSON.stringify(environment)}: valid values: "dev", "prod".`,
    );
}
const edgeAddresses = config.requireObject<string[]>("edgeAddresses");
const keySeed = config.requireSecret("tunnelKeySeed");
const workloadProject = config.require("workloadProject");

/** One kit per cloud, region and project: each with its own explicit provider. */
const kits = new Map<string, CloudKit>();
function kitOf(end: PlannedEnd): CloudKit {
    const { cloud, stack } = end;
    const region = regionOf(cloud, stack.regions);
    const name = ["links", cloud, ...(cloud === "gcp" ? [stack.gcpProject] : []), ...(descriptorOf(cloud).region ? [region] : [])].join("-");
    // Only the kits an environment's links use load: each provider SDK costs most of a second.
    if (!kits.has(name)) kits.set(name, createKitOf(cloud)({ environment, name, region, project: stack.gcpProject }));
    return kits.get(name)!;
}

/** Each workload stack's outputs, read once. */
const references = new Map<string, pulumi.StackReference>();
function networkIdOf(end: PlannedEnd): pulumi.Output<string> {
    const { stack, cloud } = end;
    if (!references.has(stack.name)) {
        references.set(
            stack.name,
            new pulumi.StackReference(`${stack.name}-reference`, { name: `${pulumi.getOrganization()}/${workloadProject}/${stack.name}` }),
        );
    }
    return references
        .get(stack.name)!
        .getOutput(cloud)
        .apply((outputs: { networkId?: string } | undefined) => {
            if (!outputs?.networkId)
                throw new ConfigError(`Stack ${stack.name} exports no ${cloud}.networkId: apply it (placed on ${cloud}) before the links.`);
            return outputs.networkId;
        });
}

const planned = planLinks(readWorkloadStacks(), environment);
const context = { environment, edgeAddresses, keySeed, kitOf, networkIdOf };
const handles = buildEnds(planned.ends, context);
const outputs = linkOutputs(planned.links.map((link) => buildLink(link, handles, context)));

/** Every link, both ends as each runs it; no key. */
export const links = outputs.links;
/** What the private cloud's edge router must be set to, per peer. */
export const edge = outputs.edge;
/** The edge's pre-shared keys, per peer and tunnel: a secret (`pulumi stack output edgeKeys --show-secrets`). */
export const edgeKeys = outputs.edgeKeys;
/**
 * What the deploy verifies after `pulumi up` (docs/deploy.md): a link rolls out
 * nothing and serves no health check; its tunnels' and BGP sessions' state is
 * checked as docs/network.md says, not by the deploy.
 */
export const verification = { rollouts: [], healthChecks: [] };

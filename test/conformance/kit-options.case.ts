/**
 * KitOptions on every kit that registers itself (conformance.test.ts calls
 * `kitOptionsCases`): the transformations a program passes to a kit call reach
 * the component the call builds and every resource beneath it, and what they
 * return is what is registered. This is how a program sets a property no kit
 * sets, so a kit call that drops them leaves the program no way to.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudKit, KitOptions } from "../../components/contracts";
import { ConfigError } from "../../components/core/errors";
import { readTags, tagPlacement, type TagPlacement } from "../../policies/catalog/tags";
import { valueOf, type TestResource, type useMockRuntime } from "../helpers/pulumi";
import type { ConformanceKit } from "./kit";
import { certificates } from "./link.case";

type Run = ReturnType<typeof useMockRuntime>;

/** The tag a team's own transformation adds: one key and value every cloud's tag rules accept. */
const probe = { key: "conformance-probe", value: "through-kit" };

/** Adds the probe tag at the placement's path, through any value that is not known until later. */
function withProbeTag(value: unknown, path: string[], form: TagPlacement["form"]): unknown {
    if (pulumi.Output.isInstance(value)) return value.apply((known) => withProbeTag(known, path, form));
    const object = (value ?? {}) as Record<string, unknown>;
    const [field, ...rest] = path;
    if (rest.length > 0) return { ...object, [field]: withProbeTag(object[field], rest, form) };
    const add = (tags: unknown) =>
        form === "map"
            ? { ...(tags as Record<string, unknown> | undefined), [probe.key]: probe.value }
            : [...((tags as unknown[] | undefined) ?? []), { ...probe, propagateAtLaunch: true }];
    const existing = object[field];
    return { ...object, [field]: pulumi.Output.isInstance(existing) ? existing.apply(add) : add(existing) };
}

/** True when the resource is `root` or lies beneath it, following parents: the component itself counts, even one that creates nothing. */
function isBeneath(resource: TestResource, root: string, byUrn: Map<string, TestResource>): boolean {
    for (let urn: string | undefined = resource.urn; urn; urn = byUrn.get(urn)?.parent) if (urn === root) return true;
    return false;
}

/** One call of every CloudKit method that builds something, each with `opts`; what the kit refuses is left out. */
function buildEverything(cloud: string, k: CloudKit, name: string, opts: KitOptions): pulumi.Resource[] {
    const environment = "dev";
    const network = k.network(`${name}-net`, { environment, cidr: "10.49.0.0/16", zoneCount: 2 }, opts);
    const loadBalancer = k.loadBalancer(
        `${name}-lb`,
        { environment, network, certificateId: certificates[k.cloud], targetPort: 8080, healthCheckPath: "/ready" },
        opts,
    );
    const storage = k.sharedStorage(`${name}-fs`, { environment, network, sizeGib: 1024 }, opts);
    const secret = k.secretParameter(`${name}-token`, { environment, network, value: pulumi.secret("kit-options-secret"), description: "kit options" }, opts);
    // The private cloud runs images, pinned by digest; the other clouds run machine images.
    const imageId = cloud === "onprem" ? "registry.example.internal/conformance/vm@sha256:" + "e".repeat(64) : "image-pinned-0001";
    const group = { environment, network, imageId, size: "small", minSize: 2, maxSize: 4, desiredSize: 2, cpuTargetPercent: 60, port: 8080 } as const;
    const vmGroup = k.vmGroup(`${name}-vms`, k.capabilities.includes("vmGroup.loadBalancer") ? { ...group, loadBalancer } : group, opts);
    const cluster = k.containerCluster(`${name}-cluster`, { environment, network, size: "small", minNodes: 1, maxNodes: 3 }, opts);
    const service = k.containerService(
        `${name}-svc`,
        {
            environment,
            cluster,
            network,
            image: "registry.example.com/app@sha256:" + "a".repeat(64),
            cpu: 250,
            memory: 512,
            port: 8080,
            desiredCount: 2,
            minCount: 2,
            maxCount: 4,
        },
        opts,
    );
    const link = k.link(
        `${name}-link`,
        {
            environment,
            zoneCount: 2,
            asn: 64701,
            ranges: ["10.49.0.0/16"],
            ...(cloud === "onprem" ? { edgeAddresses: ["198.51.100.20", "198.51.100.21"] } : { networkId: `network-of-${cloud}` }),
        },
        opts,
    );
    const built: pulumi.Resource[] = [network, loadBalancer, storage, secret, vmGroup, cluster, service, link];
    if (k.capabilities.includes("kit.converterGroup")) {
        const converter = {
            replicas: 2,
            image: "registry.example.com/cdc@sha256:" + "d".repeat(64),
            consumerGroup: "kit-options",
            sourceEndpoint: "orders.internal:5432",
            targetEndpoint: "events.internal:9092",
            credentials: pulumi.secret("kit-options-credentials"),
            metricsPort: 9404,
        };
        built.push(k.converterGroup!(`${name}-cdc`, { ...converter, environment, cluster }, opts));
    }
    try {
        built.push(k.privateListener(`${name}-private`, { environment, network, loadBalancer, callers: ["10.41.0.0/16"] }, opts));
    } catch (e) {
        // The kits that reach a workload another way refuse the call outright (link.case.ts holds them to it).
        if (!(e instanceof ConfigError)) throw e;
    }
    return built;
}

export function kitOptionsCases(kits: ConformanceKit[], run: Run): void {
    describe.each(kits.map((k) => [k.cloud, k] as const))("%s kit: options", (cloud, kit) => {
        test("KitOptions.transformations: every call hands them to the component it builds; they see each resource beneath it, and the tag they add is registered", async () => {
            const name = `${cloud}-options`;
            const seen = new Set<string>();
            const tagged = new Map<string, TagPlacement>();
            const tagEverything: pulumi.ResourceTransformation = ({ type, name: resourceName, props, opts }) => {
                seen.add(`${type}::${resourceName}`);
                const placement = tagPlacement(type);
                if (!placement) return undefined;
                tagged.set(`${type}::${resourceName}`, placement);
                return { props: withProbeTag(props, placement.path, placement.form) as pulumi.Inputs, opts };
            };
            const built = buildEverything(cloud, kit.cloudKit("dev"), name, { transformations: [tagEverything] });

            const all = await run.all();
            const byUrn = new Map(all.map((r) => [r.urn, r]));
            for (const handle of built) {
                const root = await valueOf(handle.urn);
                const beneath = all.filter((r) => isBeneath(r, root, byUrn));
                const unseen = beneath.filter((r) => !seen.has(`${r.type}::${r.name}`)).map((r) => `${r.type}::${r.name}`);
                expect({ root, unseen }).toEqual({ root, unseen: [] });
                for (const r of beneath) {
                    const placement = tagged.get(`${r.type}::${r.name}`);
                    if (!placement) continue;
                    expect({ resource: r.name, tag: readTags(placement, r.plain)?.get(probe.key) }).toEqual({ resource: r.name, tag: probe.value });
                }
            }
            expect(tagged.size).toBeGreaterThan(0);
        });
    });
}

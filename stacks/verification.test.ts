import * as pulumi from "@pulumi/pulumi";
import type { CloudKit, RolloutTarget } from "../components/contracts";
import { valueOf } from "../test/helpers/pulumi";
import { verified, type Verification } from "./verification";

/** A kit whose calls return handles with known outputs, and which uses `this` as a kit class does. */
function fakeKit(): CloudKit {
    const rollout = (target: RolloutTarget) => ({ rollout: pulumi.output(target) });
    const kit = {
        cloud: "aws",
        region: "eu-central-1",
        vmGroup(name: string) {
            return { ...rollout({ kind: "aws-autoscaling-group", region: this.region, name }), cloud: "aws" };
        },
        containerService(name: string) {
            return rollout({ kind: "aws-ecs-service", region: this.region, cluster: "c", service: name });
        },
        loadBalancer(name: string) {
            return { cloud: "aws", endpoint: pulumi.output(`${name}.elb.example`) };
        },
        network() {
            return { cloud: "aws" };
        },
    };
    return kit as unknown as CloudKit;
}

test("the kit notes each rollout and each load balancer's health check, and otherwise behaves as the kit", async () => {
    const into: Verification = { rollouts: [], healthChecks: [] };
    const kit = verified(fakeKit(), into);
    const network = kit.network("net", {} as never);
    const lb = kit.loadBalancer("backend-lb", { healthCheckPath: "/healthz" } as never);
    kit.vmGroup("servers", {} as never);
    kit.containerService("checkout", {} as never);
    expect(network.cloud).toBe("aws");
    expect(await valueOf(lb.endpoint)).toBe("backend-lb.elb.example");
    expect(await valueOf(pulumi.all(into.rollouts))).toEqual([
        { kind: "aws-autoscaling-group", region: "eu-central-1", name: "servers" },
        { kind: "aws-ecs-service", region: "eu-central-1", cluster: "c", service: "checkout" },
    ]);
    expect(await valueOf(pulumi.all(into.healthChecks))).toEqual([{ name: "backend-lb", url: "https://backend-lb.elb.example/healthz" }]);
});

test("a kit without converter groups stays without one", () => {
    expect(typeof verified(fakeKit(), { rollouts: [], healthChecks: [] }).converterGroup).toBe("undefined");
});

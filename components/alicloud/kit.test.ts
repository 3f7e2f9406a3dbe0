import { useMockRuntime } from "../../test/helpers/pulumi";
import type { NetworkHandle } from "../contracts";
import { createKit } from "./kit";

const run = useMockRuntime();

describe("alicloud kit", () => {
    const kit = createKit({ environment: "dev", name: "kit-test", region: "eu-central-1" });

    test("builds on an explicit provider for the settings' region", async () => {
        kit.network("kit-net", { environment: "dev", cidr: "10.50.0.0/16", zoneCount: 2 });
        const provider = await run.one("pulumi:providers:alicloud", "kit-test-provider");
        expect(provider.plain.region).toBe("eu-central-1");
        const vpc = await run.one("alicloud:vpc/network:Network", "kit-net");
        expect(vpc.provider).toContain("kit-test-provider");
    });

    test("maps each neutral size to a g7 type, with CPU in millicores", () => {
        expect(kit.instanceTypeOf("small")).toBe("ecs.g7.large");
        expect(kit.instanceTypeOf("xlarge")).toBe("ecs.g7.4xlarge");
        expect(kit.sizeCapacity("small")).toEqual({ cpu: 2000, memoryMiB: 8192 });
    });

    test("wires the VM group to the network's vSwitches, the ALB server group and the NAS", async () => {
        const network = kit.network("kit-wire", { environment: "dev", cidr: "10.51.0.0/16", zoneCount: 2 });
        const loadBalancer = kit.loadBalancer("kit-wire-lb", { environment: "dev", network, certificateId: "cert-1", targetPort: 8080, healthCheckPath: "/healthz" });
        const storage = kit.sharedStorage("kit-wire-fs", { environment: "dev", network });
        kit.vmGroup("kit-wire-vms", {
            environment: "dev",
            network,
            loadBalancer,
            storage,
            imageId: "m-1",
            size: "small",
            minSize: 1,
            maxSize: 2,
            desiredSize: 1,
            cpuTargetPercent: 50,
        });
        const group = await run.one("alicloud:ess/scalingGroup:ScalingGroup", "kit-wire-vms");
        expect(group.plain.vswitchIds).toHaveLength(2);
        expect(group.plain.albServerGroups[0].port).toBe(8080);
        const config = await run.one("alicloud:ess/scalingConfiguration:ScalingConfiguration", "kit-wire-vms");
        expect(config.plain.instanceType).toBe("ecs.g7.large");
        const rules = await run.ofType("alicloud:nas/accessRule:AccessRule", "kit-wire-fs");
        expect(rules.map((r) => r.plain.sourceCidrIp)).toEqual(["10.51.0.0/20", "10.51.16.0/20"]);
    });

    test("refuses a handle another kit made", () => {
        const foreign = { cloud: "aws" } as unknown as NetworkHandle;
        expect(() => kit.sharedStorage("kit-foreign", { environment: "dev", network: foreign })).toThrow(
            "alicloud kit: `network` must be a Network made by the alicloud kit; got a handle from the aws kit.",
        );
    });
});

import * as pulumi from "@pulumi/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
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
        const loadBalancer = kit.loadBalancer("kit-wire-lb", {
            environment: "dev",
            network,
            certificateId: "cert-1",
            targetPort: 8080,
            healthCheckPath: "/healthz",
        });
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

    test("routes container services on the ALB over the node pool, mounts the NAS and injects secret values", async () => {
        const plaintext = "kit-route-plaintext-value";
        const network = kit.network("kit-ack", { environment: "dev", cidr: "10.52.0.0/16", zoneCount: 2 });
        const loadBalancer = kit.loadBalancer("kit-ack-lb", {
            environment: "dev",
            network,
            certificateId: "cert-1",
            targetPort: 3000,
            healthCheckPath: "/healthz",
        });
        const storage = kit.sharedStorage("kit-ack-fs", { environment: "dev", network });
        // The mocks echo inputs only, so the mount target's domain (an output) is given here.
        (storage as unknown as { mountTargetDomains: pulumi.Output<string>[] }).mountTargetDomains[0] = pulumi.output(
            "0a1b2c-kit.eu-central-1.nas.aliyuncs.com",
        );
        const token = kit.secretParameter("kit-ack-token", { environment: "dev", value: pulumi.secret(plaintext) });
        const cluster = kit.containerCluster("kit-ack-k8s", { environment: "dev", network, size: "small", minNodes: 1, maxNodes: 3 });
        // Likewise the node pool's scaling group id, which ACK makes.
        (cluster as unknown as { scalingGroupId: pulumi.Output<string> }).scalingGroupId = pulumi.output("asg-ack-pool");
        const service = {
            environment: "dev" as const,
            cluster,
            network,
            loadBalancer,
            image: "registry.example.com/app:1.0.0",
            cpu: 250,
            memory: 512,
            desiredCount: 1,
            minCount: 1,
            maxCount: 2,
        };
        kit.containerService("kit-ack-api", { ...service, port: 8080, paths: ["/api/*"], storage, secretRefs: { TOKEN: token } });
        kit.containerService("kit-ack-web", { ...service, port: 3000 });

        for (const [name, port] of [
            ["kit-ack-api", 8080],
            ["kit-ack-web", 3000],
        ] as const) {
            const svc = await run.one("kubernetes:core/v1:Service", `${name}-service`);
            const attachment = await run.one("alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment", `${name}-route`);
            expect(svc.plain.spec.type).toBe("NodePort");
            expect(svc.plain.spec.ports[0]).toMatchObject({ port, targetPort: port });
            expect(attachment.plain.port).toBe(svc.plain.spec.ports[0].nodePort);
            expect(attachment.plain.scalingGroupId).toBe("asg-ack-pool");
            const sgRules = await run.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule", `${name}-route`);
            expect(sgRules.map((r) => [r.plain.portRange, r.plain.cidrIp])).toEqual(
                ["10.52.0.0/20", "10.52.16.0/20"].map((cidr) => [`${attachment.plain.port}/${attachment.plain.port}`, cidr]),
            );
            expect(sgRules.every((r) => r.plain.securityGroupId === sgRules[0].plain.securityGroupId)).toBe(true);
        }
        const ruleOnNodes = await run.one("alicloud:ecs/securityGroupRule:SecurityGroupRule", "kit-ack-api-route-node-port-0");
        expect(ruleOnNodes.plain.securityGroupId).toBe(await new Promise((resolve) => (cluster as any).securityGroup.id.apply(resolve)));
        const api = (await run.one("alicloud:alb/rule:Rule", "kit-ack-api-route")).plain;
        const web = (await run.one("alicloud:alb/rule:Rule", "kit-ack-web-route")).plain;
        expect(api.ruleConditions[0].pathConfig.values).toEqual(["/api/*"]);
        expect(web.ruleConditions[0].pathConfig.values).toEqual(["/*"]);
        expect(api.priority).toBeLessThan(web.priority);

        const volume = await run.one("kubernetes:core/v1:PersistentVolume", "kit-ack-api");
        expect(volume.plain.spec.nfs).toEqual({ server: "0a1b2c-kit.eu-central-1.nas.aliyuncs.com", path: "/" });
        expect(await run.ofType("kubernetes:core/v1:PersistentVolume", "kit-ack-web")).toHaveLength(0);
        const secret = await run.one("kubernetes:core/v1:Secret", "kit-ack-api");
        expect(secret.plain.stringData).toEqual({ TOKEN: plaintext });
        const everything = await run.all();
        for (const r of everything.filter((r) => r.name.startsWith("kit-ack"))) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain(plaintext);
    });

    test("refuses a second service taking all other traffic of one load balancer, naming both", () => {
        const network = kit.network("kit-two", { environment: "dev", cidr: "10.54.0.0/16", zoneCount: 2 });
        const loadBalancer = kit.loadBalancer("kit-two-lb", {
            environment: "dev",
            network,
            certificateId: "cert-1",
            targetPort: 8080,
            healthCheckPath: "/healthz",
        });
        const cluster = kit.containerCluster("kit-two-k8s", { environment: "dev", network, size: "small", minNodes: 1, maxNodes: 2 });
        const service = {
            environment: "dev" as const,
            cluster,
            network,
            loadBalancer,
            image: "r/app:1.0.0",
            cpu: 250,
            memory: 512,
            port: 8080,
            desiredCount: 1,
            minCount: 1,
            maxCount: 1,
        };
        kit.containerService("kit-two-a", service);
        expect(() => kit.containerService("kit-two-b", service)).toThrow(
            'LoadBalancer: kit-two-b and kit-two-a both ask for all other traffic of kit-two-lb; give one of them `paths` (e.g. ["/kit-two-b/*"]).',
        );
    });

    test("refuses paths without a load balancer to route them on", () => {
        const network = kit.network("kit-nolb", { environment: "dev", cidr: "10.53.0.0/16", zoneCount: 2 });
        const cluster = kit.containerCluster("kit-nolb-k8s", { environment: "dev", network, size: "small", minNodes: 1, maxNodes: 2 });
        expect(() =>
            kit.containerService("kit-nolb-api", {
                environment: "dev",
                cluster,
                network,
                paths: ["/api/*"],
                image: "r/app:1.0.0",
                cpu: 250,
                memory: 512,
                port: 8080,
                desiredCount: 1,
                minCount: 1,
                maxCount: 1,
            }),
        ).toThrow('alicloud kit: containerService("kit-nolb-api") sets `paths` without a `loadBalancer` to route them on.');
    });

    test("refuses a handle another kit made", () => {
        const foreign = { cloud: "aws" } as unknown as NetworkHandle;
        expect(() => kit.sharedStorage("kit-foreign", { environment: "dev", network: foreign })).toThrow(
            "alicloud kit: `network` must be a Network made by the alicloud kit; got a handle from the aws kit.",
        );
    });
});

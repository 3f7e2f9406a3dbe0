import { useMockRuntime } from "../../test/helpers/pulumi";
import { ContainerCluster, type ContainerClusterArgs } from "./container-cluster";

const run = useMockRuntime();

const args = (changes: Partial<ContainerClusterArgs> = {}): ContainerClusterArgs => ({
    environment: "dev",
    instanceType: "m6i.large",
    minNodes: 1,
    maxNodes: 3,
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    ...changes,
});

test("cluster with Container Insights; protected only in prod", async () => {
    new ContainerCluster("cdev", args());
    new ContainerCluster("cprod", args({ environment: "prod" }));
    const dev = await run.one("aws:ecs/cluster:Cluster", "cdev");
    expect(dev.plain.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(dev.options.protect).toBe(false);
    expect((await run.one("aws:ecs/cluster:Cluster", "cprod")).options.protect).toBe(true);
});

test("nodes: ECS-optimized AMI from the public SSM parameter, ECS instance policy, scaled by the capacity provider", async () => {
    new ContainerCluster("cnodes", args());
    const lt = await run.one("aws:ec2/launchTemplate:LaunchTemplate", "cnodes");
    expect(lt.plain.imageId).toBe("ami-0ecs0ff1ine0000a1");
    const policies = (await run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "cnodes")).map((a) => a.plain.policyArn);
    expect(policies).toContain("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role");
    const asg = await run.one("aws:autoscaling/group:Group", "cnodes");
    expect(asg.plain.protectFromScaleIn).toBe(true);
    expect(asg.plain.tags).toContainEqual({ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true });
    expect(asg.options.ignoreChanges).toContain("desiredCapacity");
    expect(await run.ofType("aws:autoscaling/policy:Policy", "cnodes")).toHaveLength(0);
});

test("capacity provider: managed scaling and termination protection, the cluster's default", async () => {
    new ContainerCluster("ccap", args());
    const provider = await run.one("aws:ecs/capacityProvider:CapacityProvider", "ccap");
    expect(provider.plain.autoScalingGroupProvider).toMatchObject({
        managedTerminationProtection: "ENABLED",
        managedScaling: { status: "ENABLED", targetCapacity: 90 },
    });
    const defaults = await run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "ccap");
    expect(defaults.plain.defaultCapacityProviderStrategies).toHaveLength(1);
});

test("rejects a target capacity outside 1..100", () => {
    expect(() => new ContainerCluster("cbad1", args({ targetCapacityPercent: 120 }))).toThrow(
        "ContainerCluster: `targetCapacityPercent` must be a whole number from 1 to 100; got 120.",
    );
});

test("rejects an instance type the kit does not offer", () => {
    expect(() => new ContainerCluster("cbad2", args({ instanceType: "m5.large" }))).toThrow(
        /ContainerCluster: `instanceType` must be one of .*; got "m5\.large"\./,
    );
});

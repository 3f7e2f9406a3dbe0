import { useMockRuntime } from "../../test/helpers/pulumi";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { changesAfterRefresh } from "../../test/helpers/refresh";
import { VmGroup, type VmGroupArgs } from "./vm-group";

const run = useMockRuntime();

const args = (changes: Partial<VmGroupArgs> = {}): VmGroupArgs => ({
    environment: "dev",
    imageId: "ami-0123456789abcdef0",
    instanceType: "m6i.large",
    minSize: 2,
    maxSize: 4,
    desiredSize: 2,
    cpuTargetPercent: 60,
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    ...changes,
});

test("launch template: IMDSv2 only with hop limit 1, encrypted gp3 root, no public IP", async () => {
    new VmGroup("vlt", args());
    const lt = await run.one("aws:ec2/launchTemplate:LaunchTemplate", "vlt");
    expect(lt.plain.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(lt.plain.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: "true", volumeType: "gp3" });
    expect(lt.plain.networkInterfaces[0].associatePublicIpAddress).toBe("false");
});

test("the instance role holds only the SSM managed policy", async () => {
    new VmGroup("vrole", args());
    const attachments = await run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "vrole");
    expect(attachments.map((a) => a.plain.policyArn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", "vrole");
    expect(sg.plain.ingress ?? []).toEqual([]);
});

test("group: across the private subnets, CPU target tracking", async () => {
    new VmGroup("vasg", args());
    const asg = await run.one("aws:autoscaling/group:Group", "vasg");
    expect(asg.plain.vpcZoneIdentifiers).toEqual(["subnet-a", "subnet-b"]);
    expect(asg.plain.healthCheckType).toBe("EC2");
    const policy = await run.one("aws:autoscaling/policy:Policy", "vasg");
    expect(policy.plain.targetTrackingConfiguration.targetValue).toBe(60);
});

test("behind a target group: ELB health checks", async () => {
    new VmGroup("velb", args({ environment: "prod", targetGroupArns: ["arn:aws:elasticloadbalancing:tg/x"] }));
    const asg = await run.one("aws:autoscaling/group:Group", "velb");
    expect(asg.plain.healthCheckType).toBe("ELB");
});

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("the instance refresh keeps 100 % healthy, surges to 200 % and rolls back by itself to a numbered template version", async () => {
        new VmGroup(`vroll-${environment}`, args({ environment }));
        const asg = await run.one("aws:autoscaling/group:Group", `vroll-${environment}`);
        expect(asg.plain.instanceRefresh).toEqual({
            strategy: "Rolling",
            preferences: {
                minHealthyPercentage: 100,
                maxHealthyPercentage: 200,
                autoRollback: true,
                skipMatching: true,
                scaleInProtectedInstances: "Refresh",
                standbyInstances: "Terminate",
            },
        });
        // Auto rollback needs a version of the group's own template to return to: never $Latest or $Default.
        expect(asg.plain.launchTemplate.id).toBeDefined();
        expect(asg.plain.launchTemplate.version).not.toMatch(/^\$(Latest|Default)$/);
    });

    test("`pulumi up` waits for the group's capacity", async () => {
        new VmGroup(`vwait-${environment}`, args({ environment }));
        expect((await run.one("aws:autoscaling/group:Group", `vwait-${environment}`)).plain.waitForCapacityTimeout).toBe("10m");
    });

    test("the rollout target is the group's name in the region given", async () => {
        const group = new VmGroup(`vtarget-${environment}`, args({ environment, region: "eu-central-1" }));
        const asg = await run.one("aws:autoscaling/group:Group", `vtarget-${environment}`);
        const { target, sources } = await probeRollout(run, `vtarget-${environment}`, group.rollout);
        expect(target).toMatchObject({ kind: "aws-autoscaling-group", region: "eu-central-1" });
        expect(sources).toEqual([asg.urn]);
    });
});

test("without a region, the rollout target names the provider's own", async () => {
    const group = new VmGroup("vregion", args());
    const { target } = await probeRollout(run, "vregion", group.rollout);
    // The offline answer of getRegion.
    expect(target).toMatchObject({ kind: "aws-autoscaling-group", region: "eu-west-1" });
});

test("externally scaled: no scaling policy, scale-in protection on", async () => {
    new VmGroup("vext", args({ externallyScaled: true }));
    expect(await run.ofType("aws:autoscaling/policy:Policy", "vext")).toHaveLength(0);
    expect((await run.one("aws:autoscaling/group:Group", "vext")).plain.protectFromScaleIn).toBe(true);
});

test("rejects min above max", () => {
    expect(() => new VmGroup("vbad1", args({ minSize: 5 }))).toThrow("VmGroup: `minSize` (5) must not be above `maxSize` (4).");
});

test("rejects an instance type the kit does not offer", () => {
    expect(() => new VmGroup("vbad2", args({ instanceType: "x9.huge" }))).toThrow(/VmGroup: `instanceType` must be one of t3\.medium, .*; got "x9\.huge"\./);
});

test("rejects a single subnet", () => {
    expect(() => new VmGroup("vbad3", args({ subnetIds: ["subnet-a"] }))).toThrow("VmGroup: `subnetIds` must list private subnets in at least 2 zones; got 1.");
});

test("a campaign becomes a pair of one-time scheduled actions in UTC that move only the autoscaler's minimum", async () => {
    const blackFriday = { name: "black-friday", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 3 };
    new VmGroup("vsched", args({ schedules: [blackFriday] }));
    const actions = await run.ofType("aws:autoscaling/schedule:Schedule", "vsched");
    const byName = Object.fromEntries(actions.map((a) => [a.plain.scheduledActionName, a.plain]));
    // Amsterdam is UTC+1 in November.
    expect(byName["black-friday-start"]).toMatchObject({ startTime: "2026-11-26T23:00:00Z", minSize: 3, desiredCapacity: -1, maxSize: 4 });
    expect(byName["black-friday-end"]).toMatchObject({ startTime: "2026-11-30T22:59:00Z", minSize: 2, desiredCapacity: -1, maxSize: 4 });
});

test("the autoscaler owns the count: Pulumi sets the first desired capacity and ignores drift", async () => {
    new VmGroup("vowner", args({}));
    const asg = await run.one("aws:autoscaling/group:Group", "vowner");
    expect(asg.plain.desiredCapacity).toBeDefined();
    expect(asg.options.ignoreChanges).toEqual(["desiredCapacity"]);
});

describe("a campaign's raised minimum belongs to its scheduled action", () => {
    const blackFriday = { name: "black-friday", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 4 };
    const raised = async (name: string, now: string) => {
        new VmGroup(name, args({ schedules: [blackFriday], now: new Date(now) }));
        const asg = await run.one("aws:autoscaling/group:Group", name);
        // What the cloud reports once the start action has run: the group's minimum raised to the campaign's.
        return { asg, live: { ...asg.plain, minSize: 4 } };
    };

    test("inside the window a refresh finds the raised minimum and reports no change, so a deploy leaves it alone", async () => {
        const { asg, live } = await raised("vcamp-in", "2026-11-28T12:00:00Z");
        expect(asg.plain.minSize).toBe(2);
        expect(asg.options.ignoreChanges).toEqual(["desiredCapacity", "minSize"]);
        expect(changesAfterRefresh(asg, live)).toEqual([]);
    });

    test("outside every window the configured minimum is the program's: a different one is drift, and the deploy sets it", async () => {
        const { asg, live } = await raised("vcamp-out", "2026-12-07T12:00:00Z");
        expect(asg.options.ignoreChanges).toEqual(["desiredCapacity"]);
        expect(changesAfterRefresh(asg, live)).toEqual(["minSize"]);
    });
});

test("rejects a campaign minimum above the group's maximum", () => {
    const tooBig = { name: "sale", start: "2026-11-27T00:00", end: "2026-11-28T00:00", timeZone: "Europe/Amsterdam", minCapacity: 9 };
    expect(() => new VmGroup("vbad4", args({ schedules: [tooBig] }))).toThrow(
        "VmGroup: `schedules[0].minCapacity` must be a whole number from 1 to the group's maximum (4), got 9.",
    );
});

test("secrets and shared storage: the role reads them and the instances mount the file system at boot", async () => {
    new VmGroup(
        "vfiles",
        args({
            rolePolicies: [
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:eu-west-1:123456789012:parameter/p"}]}',
            ],
            sharedFileSystem: {
                fileSystemId: "fs-0123",
                fileSystemArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123",
                accessPointId: "fsap-0456",
                accessPointArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0456",
                clientSecurityGroupId: "sg-efs-client",
            },
        }),
    );
    const policies = (await run.ofType("aws:iam/rolePolicy:RolePolicy", "vfiles")).map((p) => JSON.parse(p.plain.policy));
    expect(policies.map((p) => p.Statement[0].Action)).toEqual(["ssm:GetParameters", ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]]);
    const template = await run.one("aws:ec2/launchTemplate:LaunchTemplate", "vfiles");
    expect(template.plain.networkInterfaces[0].securityGroups).toContain("sg-efs-client");
    const script = Buffer.from(template.plain.userData, "base64").toString();
    expect(script).toContain("fs-0123:/ /mnt/shared efs _netdev,tls,iam,accesspoint=fsap-0456 0 0");
});

test("refuses its own user data beside a shared file system", () => {
    const efs = { fileSystemId: "f", fileSystemArn: "a", accessPointId: "p", accessPointArn: "b", clientSecurityGroupId: "s" };
    expect(() => new VmGroup("vboth", args({ userData: "x", sharedFileSystem: efs }))).toThrow(
        "VmGroup: `sharedFileSystem` writes the instances' user data; leave `userData` unset with it.",
    );
});

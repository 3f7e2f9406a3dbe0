import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const lt = "aws:ec2/launchTemplate:LaunchTemplate";
const asg = "aws:autoscaling/group:Group";

const goodTemplate = {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 30 } }],
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }],
};

describe("launch templates", () => {
    test("IMDSv2, encrypted volumes and no public IP pass (booleans spelt as strings included)", async () => {
        const hit = await pack.policiesHit([{ type: lt, inputs: goodTemplate }]);
        for (const p of ["aws-ec2-imdsv2-required", "aws-ec2-volumes-encrypted", "aws-ec2-no-public-ip"]) expect(hit).not.toContain(p);
    });
    test("IMDSv1 left available is blocked, also when metadataOptions is left out; a disabled endpoint passes", async () => {
        expect(await pack.policiesHit([{ type: lt, inputs: { ...goodTemplate, metadataOptions: { httpTokens: "optional" } } }])).toContain(
            "aws-ec2-imdsv2-required",
        );
        expect(await pack.policiesHit([{ type: lt, inputs: { ...goodTemplate, metadataOptions: undefined } }])).toContain("aws-ec2-imdsv2-required");
        expect(await pack.policiesHit([{ type: lt, inputs: { ...goodTemplate, metadataOptions: { httpEndpoint: "disabled" } } }])).not.toContain(
            "aws-ec2-imdsv2-required",
        );
    });
    test("an unencrypted device, or a root volume left to the AMI, is blocked", async () => {
        expect(
            await pack.policiesHit([
                { type: lt, inputs: { ...goodTemplate, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] } },
            ]),
        ).toContain("aws-ec2-volumes-encrypted");
        expect(await pack.policiesHit([{ type: lt, inputs: { ...goodTemplate, blockDeviceMappings: undefined } }])).toContain("aws-ec2-volumes-encrypted");
    });
    test("a public IP on a network interface is blocked", async () => {
        expect(
            await pack.policiesHit([{ type: lt, inputs: { ...goodTemplate, networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] } }]),
        ).toContain("aws-ec2-no-public-ip");
    });
    test("instances and launch configurations are held to the same rules", async () => {
        const hit = await pack.policiesHit([
            { type: "aws:ec2/instance:Instance", inputs: { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true } },
        ]);
        expect(hit).toEqual(expect.arrayContaining(["aws-ec2-imdsv2-required", "aws-ec2-volumes-encrypted", "aws-ec2-no-public-ip"]));
        const ok = await pack.policiesHit([
            {
                type: "aws:ec2/launchConfiguration:LaunchConfiguration",
                inputs: { imageId: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" }, rootBlockDevice: { encrypted: true } },
            },
        ]);
        for (const p of ["aws-ec2-imdsv2-required", "aws-ec2-volumes-encrypted", "aws-ec2-no-public-ip"]) expect(ok).not.toContain(p);
        expect(await pack.policiesHit([{ type: "aws:ebs/volume:Volume", inputs: { availabilityZone: "eu-west-1a", size: 10 } }])).toContain(
            "aws-ec2-volumes-encrypted",
        );
    });
});

const goodGroup = {
    minSize: 2,
    maxSize: 4,
    vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
    targetGroupArns: ["arn:tg"],
    healthCheckType: "ELB",
    instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100 } },
};

describe("autoscaling groups", () => {
    test("two zones, ELB health check and an instance refresh that keeps capacity pass", async () => {
        const hit = await pack.policiesHit([{ type: asg, inputs: goodGroup }]);
        for (const p of ["aws-autoscaling-group-multi-az", "aws-autoscaling-group-elb-health-check", "aws-autoscaling-group-instance-refresh"])
            expect(hit).not.toContain(p);
    });
    test("a single zone is blocked", async () => {
        expect(await pack.policiesHit([{ type: asg, inputs: { ...goodGroup, vpcZoneIdentifiers: ["subnet-a"] } }])).toContain("aws-autoscaling-group-multi-az");
        expect(
            await pack.policiesHit([{ type: asg, inputs: { ...goodGroup, vpcZoneIdentifiers: undefined, availabilityZones: ["eu-west-1a", "eu-west-1a"] } }]),
        ).toContain("aws-autoscaling-group-multi-az");
    });
    test("behind a target group with the default EC2 health check is blocked; without one it passes", async () => {
        expect(await pack.policiesHit([{ type: asg, inputs: { ...goodGroup, healthCheckType: undefined } }])).toContain(
            "aws-autoscaling-group-elb-health-check",
        );
        expect(
            await pack.policiesHit([
                {
                    type: asg,
                    inputs: { ...goodGroup, targetGroupArns: undefined, trafficSources: [{ identifier: "arn:tg", type: "elbv2" }], healthCheckType: "EC2" },
                },
            ]),
        ).toContain("aws-autoscaling-group-elb-health-check");
        expect(await pack.policiesHit([{ type: asg, inputs: { ...goodGroup, targetGroupArns: [], healthCheckType: "EC2" } }])).not.toContain(
            "aws-autoscaling-group-elb-health-check",
        );
    });
    test("behind a load balancer only the ELB check passes; a group fed by VPC Lattice alone may use its check", async () => {
        const p = "aws-autoscaling-group-elb-health-check";
        const messages = async (inputs: Record<string, unknown>) =>
            (await pack.judge([{ type: asg, inputs: { ...goodGroup, ...inputs } }]))
                .filter((v) => v.policy === p)
                .map((v) => v.message.slice(v.message.indexOf("\n") + 1));
        const lattice = [{ identifier: "arn:aws:vpc-lattice:eu-west-1:1:targetgroup/tg-1", type: "vpc-lattice" }];
        expect(await messages({ healthCheckType: "VPC_LATTICE" })).toEqual([
            "The autoscaling group is behind a load balancer but uses the VPC_LATTICE health check.",
        ]);
        expect(await messages({ healthCheckType: "EBS,ELB" })).toEqual([]);
        expect(await messages({ targetGroupArns: undefined, trafficSources: lattice, healthCheckType: "VPC_LATTICE" })).toEqual([]);
        expect(await messages({ targetGroupArns: undefined, trafficSources: lattice, healthCheckType: undefined })).toEqual([
            "The autoscaling group receives traffic from VPC Lattice but uses the EC2 health check.",
        ]);
    });
    test("no instance refresh, or one below 90 %, is blocked; AWS's default preference (90) passes; dev may configure the floor", async () => {
        expect(await pack.policiesHit([{ type: asg, inputs: { ...goodGroup, instanceRefresh: undefined } }])).toContain(
            "aws-autoscaling-group-instance-refresh",
        );
        expect(
            await pack.policiesHit([
                { type: asg, inputs: { ...goodGroup, instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } } } },
            ]),
        ).toContain("aws-autoscaling-group-instance-refresh");
        expect(await pack.policiesHit([{ type: asg, inputs: { ...goodGroup, instanceRefresh: { strategy: "Rolling" } } }])).not.toContain(
            "aws-autoscaling-group-instance-refresh",
        );
        const relaxed = { "aws-autoscaling-group-instance-refresh": { minHealthyPercentage: 50 } };
        expect(
            await pack.policiesHit(
                [{ type: asg, inputs: { ...goodGroup, instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } } } }],
                { policyConfig: relaxed },
            ),
        ).not.toContain("aws-autoscaling-group-instance-refresh");
    });
});

test("every type with a top-level associatePublicIpAddress is judged: a spot instance request", async () => {
    const type = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
    const v = await pack.judge([{ type, inputs: { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true } }]);
    expect(v.filter((x) => x.policy === "aws-ec2-no-public-ip").map((x) => x.message.slice(x.message.indexOf("\n") + 1))).toEqual([
        "The instance gets a public IP.",
    ]);
    expect(await pack.policiesHit([{ type, inputs: { ami: "ami-1", instanceType: "t3.micro" } }])).not.toContain("aws-ec2-no-public-ip");
});

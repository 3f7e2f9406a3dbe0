import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });

const config = "alicloud:ess/scalingConfiguration:ScalingConfiguration";
const good = { scalingGroupId: "g", imageId: "m-1", instanceType: "ecs.g7.large", internetMaxBandwidthOut: 0, systemDiskEncrypted: true };

describe("ESS scaling configurations and instances", () => {
    test("no public bandwidth and encrypted disks pass", async () => {
        const hit = await pack.policiesHit([{ type: config, inputs: { ...good, dataDisks: [{ size: 100, encrypted: true }] } }]);
        expect(hit).not.toContain("alicloud-instance-no-public-ip");
        expect(hit).not.toContain("alicloud-instance-disks-encrypted");
    });
    test("public bandwidth is blocked", async () => {
        expect(await pack.policiesHit([{ type: config, inputs: { ...good, internetMaxBandwidthOut: 10 } }])).toContain("alicloud-instance-no-public-ip");
        expect(
            await pack.policiesHit([
                {
                    type: "alicloud:ecs/instance:Instance",
                    inputs: { instanceType: "ecs.g7.large", imageId: "m-1", internetMaxBandwidthOut: 5, systemDiskEncrypted: true },
                },
            ]),
        ).toContain("alicloud-instance-no-public-ip");
    });
    test("a system disk left unencrypted (the default) or an unencrypted data disk is blocked", async () => {
        expect(await pack.policiesHit([{ type: config, inputs: { scalingGroupId: "g", imageId: "m-1", instanceType: "ecs.g7.large" } }])).toContain(
            "alicloud-instance-disks-encrypted",
        );
        expect(await pack.policiesHit([{ type: config, inputs: { ...good, dataDisks: [{ size: 100 }] } }])).toContain("alicloud-instance-disks-encrypted");
    });
});

test("every type that buys public bandwidth for its instances is judged: ACK node pools, launch templates", async () => {
    for (const type of ["alicloud:cs/nodePool:NodePool", "alicloud:ecs/launchTemplate:LaunchTemplate"]) {
        const v = await pack.judge([{ type, inputs: { internetMaxBandwidthOut: 10 } }]);
        const messages = v.filter((x) => x.policy === "alicloud-instance-no-public-ip").map((x) => x.message.slice(x.message.indexOf("\n") + 1));
        expect([type, messages]).toEqual([type, ["Instances get a public IP with 10 Mbit/s of public bandwidth."]]);
        expect([type, await pack.policiesHit([{ type, inputs: { internetMaxBandwidthOut: 0 } }])]).toEqual([
            type,
            expect.not.arrayContaining(["alicloud-instance-no-public-ip"]),
        ]);
    }
});

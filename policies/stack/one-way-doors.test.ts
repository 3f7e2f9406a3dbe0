import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const p = "stateful-resources-protected";

test("stateful resources of every cloud need protect; stateless ones do not", async () => {
    for (const type of ["aws:efs/fileSystem:FileSystem", "gcp:secretmanager/secret:Secret", "alicloud:kms/key:Key", "kubernetes:core/v1:PersistentVolumeClaim"]) {
        expect([type, await pack.policiesHit([{ type, inputs: {} }])]).toEqual([type, expect.arrayContaining([p])]);
        expect([type, await pack.policiesHit([{ type, inputs: {}, protect: true }])]).toEqual([type, expect.not.arrayContaining([p])]);
    }
    expect(await pack.policiesHit([{ type: "aws:ec2/vpc:Vpc", inputs: {} }])).not.toContain(p);
});

test("dev relaxes it to advisory", async () => {
    const v = await pack.judge([{ type: "aws:efs/fileSystem:FileSystem", inputs: {} }], { policyConfig: require("../config/dev.json") });
    expect(v.find((x) => x.policy === p)?.enforcementLevel).toBe("advisory");
});

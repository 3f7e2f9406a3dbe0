import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });

const nas = "alicloud:nas/fileSystem:FileSystem";

describe("alicloud-nas-encrypted", () => {
    test("encryptType 1, or 2 with a key, passes", async () => {
        expect(await pack.policiesHit([{ type: nas, inputs: { protocolType: "NFS", storageType: "Performance", encryptType: 1 } }])).not.toContain(
            "alicloud-nas-encrypted",
        );
        expect(
            await pack.policiesHit([{ type: nas, inputs: { protocolType: "NFS", storageType: "Performance", encryptType: 2, kmsKeyId: "key-1" } }]),
        ).not.toContain("alicloud-nas-encrypted");
    });
    test("left out (0), 0, or 2 without a key is blocked", async () => {
        for (const extra of [{}, { encryptType: 0 }, { encryptType: 2 }]) {
            expect(await pack.policiesHit([{ type: nas, inputs: { protocolType: "NFS", storageType: "Performance", ...extra } }])).toContain(
                "alicloud-nas-encrypted",
            );
        }
    });
});

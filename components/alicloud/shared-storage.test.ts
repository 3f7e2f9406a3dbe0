import { useMockRuntime } from "../../test/helpers/pulumi";
import { SharedStorage, type SharedStorageArgs } from "./shared-storage";

const run = useMockRuntime();

const args = (environment: "dev" | "prod"): SharedStorageArgs => ({
    environment,
    vpcId: "vpc-offline",
    vswitchIds: ["vsw-a", "vsw-b", "vsw-c"],
    zoneId: "eu-central-1a",
    allowedCidrs: ["10.30.0.0/20", "10.30.16.0/20"],
});

describe("SharedStorage", () => {
    test("encrypts the NAS file system at rest", async () => {
        new SharedStorage("fs-enc", args("dev"));
        const fs = await run.one("alicloud:nas/fileSystem:FileSystem", "fs-enc");
        expect(fs.plain).toMatchObject({ encryptType: 1, protocolType: "NFS", fileSystemType: "standard" });
    });

    test("admits only the given vSwitch ranges, with root squashed", async () => {
        new SharedStorage("fs-access", args("dev"));
        const rules = await run.ofType("alicloud:nas/accessRule:AccessRule", "fs-access");
        expect(rules.map((r) => r.plain.sourceCidrIp)).toEqual(["10.30.0.0/20", "10.30.16.0/20"]);
        for (const r of rules) expect(r.plain.userAccessType).toBe("root_squash");
        const group = await run.one("alicloud:nas/accessGroup:AccessGroup", "fs-access");
        expect(group.plain.accessGroupType).toBe("Vpc");
    });

    test("creates at most two mount targets, in the access group", async () => {
        new SharedStorage("fs-mounts", args("dev"));
        const mounts = await run.ofType("alicloud:nas/mountTarget:MountTarget", "fs-mounts");
        expect(mounts.map((m) => m.plain.vswitchId)).toEqual(["vsw-a", "vsw-b"]);
        for (const m of mounts) expect(m.plain.accessGroupName).toBe("fs-mounts");
    });

    test("in prod: daily HBR backups of the file system, recycle bin, and protect on the file system and vault", async () => {
        new SharedStorage("fs-prod", args("prod"));
        const fs = await run.one("alicloud:nas/fileSystem:FileSystem", "fs-prod");
        expect(fs.options.protect).toBe(true);
        expect(fs.plain.recycleBin).toEqual({ status: "Enable", reservedDays: 7 });
        expect((await run.one("alicloud:hbr/vault:Vault", "fs-prod")).options.protect).toBe(true);
        const policy = await run.one("alicloud:hbr/policy:Policy", "fs-prod");
        expect(policy.plain.rules[0]).toMatchObject({ ruleType: "BACKUP", backupType: "COMPLETE", retention: 30 });
        expect(policy.plain.rules[0].schedule).toMatch(/^I\|\d+\|P1D$/);
        const binding = await run.one("alicloud:hbr/policyBinding:PolicyBinding", "fs-prod");
        expect(binding.plain).toMatchObject({ sourceType: "NAS", disabled: false });
    });

    test("in dev: no backups and no protect", async () => {
        new SharedStorage("fs-dev", args("dev"));
        expect((await run.one("alicloud:nas/fileSystem:FileSystem", "fs-dev")).options.protect).toBe(false);
        expect(await run.ofType("alicloud:hbr/policyBinding:PolicyBinding", "fs-dev")).toHaveLength(0);
    });

    test("rejects the internet and empty ranges", () => {
        expect(() => new SharedStorage("fs-open", { ...args("dev"), allowedCidrs: ["0.0.0.0/0"] })).toThrow(
            "SharedStorage: `allowedCidrs` must be private ranges, not the internet (0.0.0.0/0).",
        );
        expect(() => new SharedStorage("fs-none", { ...args("dev"), allowedCidrs: [] })).toThrow(
            "SharedStorage: `allowedCidrs` must list the private vSwitch ranges that may mount the file system; got none.",
        );
    });

    test("rejects no vSwitch", () => {
        expect(() => new SharedStorage("fs-novsw", { ...args("dev"), vswitchIds: [] })).toThrow(
            "SharedStorage: `vswitchIds` must list at least one vSwitch for a mount target; got none.",
        );
    });
});

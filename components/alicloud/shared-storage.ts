import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { Cloud, SharedStorageSpec, StorageHandle } from "../contracts";

export interface SharedStorageArgs extends SharedStorageSpec {
    vpcId: pulumi.Input<string>;
    /** vSwitches that get a mount target; a General-purpose NAS takes at most two, reachable from every zone of the VPC. */
    vswitchIds: pulumi.Input<string>[];
    /** The zone of the file system (the first vSwitch's zone). */
    zoneId: pulumi.Input<string>;
    /** The only address ranges the access group admits: the workload's vSwitch ranges. */
    allowedCidrs: string[];
    /** Days the daily backups are kept (prod). */
    backupRetentionDays?: number;
}

const everywhere = ["0.0.0.0/0", "::/0"];
/** 2026-01-01T02:00:00Z: the first daily backup; the schedule repeats every day from then. */
const firstBackupAt = 1767232800;

/**
 * A General-purpose NAS (NFS) file system encrypted at rest with a NAS-managed KMS
 * key, an access group that admits only the given vSwitch ranges, and mount targets
 * in the VPC. In prod: daily Cloud Backup (HBR) of the whole file system to a vault,
 * a recycle bin, and `protect` on the file system and the vault.
 */
export class SharedStorage extends pulumi.ComponentResource implements StorageHandle {
    readonly cloud: Cloud = "alicloud";
    readonly fileSystem: alicloud.nas.FileSystem;
    readonly accessGroup: alicloud.nas.AccessGroup;
    readonly accessRules: alicloud.nas.AccessRule[];
    readonly mountTargets: alicloud.nas.MountTarget[];
    readonly backupVault?: alicloud.hbr.Vault;
    readonly backupPolicy?: alicloud.hbr.Policy;
    readonly backupBinding?: alicloud.hbr.PolicyBinding;

    readonly fileSystemId: pulumi.Output<string>;
    /** NFS mount addresses, one per mount target. */
    readonly mountTargetDomains: pulumi.Output<string>[];

    constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:SharedStorage", name, {}, opts);

        if (args.allowedCidrs.length === 0) {
            throw new Error("SharedStorage: `allowedCidrs` must list the private vSwitch ranges that may mount the file system; got none.");
        }
        const open = args.allowedCidrs.filter((c) => everywhere.includes(c));
        if (open.length > 0) {
            throw new Error(`SharedStorage: \`allowedCidrs\` must be private ranges, not the internet (${open.join(", ")}).`);
        }
        if (args.vswitchIds.length === 0) {
            throw new Error("SharedStorage: `vswitchIds` must list at least one vSwitch for a mount target; got none.");
        }
        const prod = args.environment === "prod";
        const stateful = { parent: this, protect: prod };

        this.fileSystem = new alicloud.nas.FileSystem(
            `${name}-nas`,
            {
                description: name,
                fileSystemType: "standard",
                protocolType: "NFS",
                storageType: "Performance",
                encryptType: 1,
                zoneId: args.zoneId,
                recycleBin: prod ? { status: "Enable", reservedDays: 7 } : undefined,
            },
            stateful,
        );
        this.accessGroup = new alicloud.nas.AccessGroup(
            `${name}-access`,
            { accessGroupName: name, accessGroupType: "Vpc", fileSystemType: "standard", description: `${name}: workload vSwitches only` },
            { parent: this },
        );
        this.accessRules = args.allowedCidrs.map(
            (cidr, i) =>
                new alicloud.nas.AccessRule(
                    `${name}-access-${i}`,
                    {
                        accessGroupName: this.accessGroup.accessGroupName,
                        fileSystemType: "standard",
                        sourceCidrIp: cidr,
                        rwAccessType: "RDWR",
                        userAccessType: "root_squash",
                        priority: 1,
                    },
                    { parent: this },
                ),
        );
        this.mountTargets = args.vswitchIds.slice(0, 2).map(
            (vswitchId, i) =>
                new alicloud.nas.MountTarget(
                    `${name}-mount-${i}`,
                    {
                        fileSystemId: this.fileSystem.id,
                        accessGroupName: this.accessGroup.accessGroupName,
                        networkType: "Vpc",
                        vpcId: args.vpcId,
                        vswitchId,
                    },
                    { parent: this, dependsOn: this.accessRules },
                ),
        );

        if (prod) {
            this.backupVault = new alicloud.hbr.Vault(
                `${name}-backup`,
                { vaultName: `${name}-backup`, vaultType: "STANDARD", description: `${name}: NAS backups` },
                stateful,
            );
            this.backupPolicy = new alicloud.hbr.Policy(
                `${name}-backup`,
                {
                    policyName: `${name}-daily`,
                    policyType: "STANDARD",
                    policyDescription: `${name}: daily full backup`,
                    rules: [
                        {
                            ruleType: "BACKUP",
                            backupType: "COMPLETE",
                            schedule: `I|${firstBackupAt}|P1D`,
                            retention: args.backupRetentionDays ?? 30,
                            vaultId: this.backupVault.id,
                        },
                    ],
                },
                { parent: this },
            );
            this.backupBinding = new alicloud.hbr.PolicyBinding(
                `${name}-backup`,
                {
                    policyId: this.backupPolicy.id,
                    sourceType: "NAS",
                    dataSourceId: this.fileSystem.id,
                    disabled: false,
                    policyBindingDescription: `${name}: the whole file system`,
                },
                { parent: this },
            );
        }

        this.fileSystemId = this.fileSystem.id;
        this.mountTargetDomains = this.mountTargets.map((m) => m.mountTargetDomain);
        this.registerOutputs({ fileSystemId: this.fileSystemId, mountTargetDomains: this.mountTargetDomains });
    }
}
